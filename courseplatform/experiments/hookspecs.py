"""What an experiment arm is comes from plugins (the experiments framework knows none of them).

An *arm kind* (e.g. the theming plugin's "palette") is an object with:

* ``slug`` (≤ 32 characters, stored on ``Experiment.kind``) and ``label``;
* ``choices(storefront) -> list[tuple[str, str]]``: ``(ref, label)`` of what can be tested on the storefront
  now, the natural control first (``ref`` ≤ 64 characters, stored on ``Variant.arm``);
* ``check(storefront, refs: list[str]) -> None``: raise ``ValidationError`` when one of ``refs`` cannot be
  tested (unknown, of another storefront, not approved…); called on create and again on start, in the
  start's transaction (lock what must not change meanwhile);
* ``label_of(ref) -> str``: a short human label for results pages and CSV exports;
* ``describe(variants) -> str``: escaped HTML shown beside each variant's results (``""`` for none) — it
  is called once with every variant of an experiment and returns ``{variant.key: html}``;
* ``stylesheet_urls(refs) -> list[str]``: stylesheets the results page needs for ``describe``;
* ``promote(storefront, winner, others, actor) -> str``: make the winning arm the storefront's default and
  retire the others (through the plugin's own services); returns the message shown to the creator.

The plugin applies the visitor's arm itself, in its own hooks, through
``courseplatform.experiments.selectors.visitor_arm(request, storefront, kind)``.
"""

from courseplatform.hooks.hookspecs import hookspec


@hookspec
def experiment_arm_kinds() -> list:
    """The arm kinds a plugin contributes (see the module docstring for the contract)."""
