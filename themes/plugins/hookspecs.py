"""Every extension point of the theming host, readable top to bottom (Datasette's hookspecs pattern).

Each hook returns a list of plugin objects; their contracts are in :mod:`themes.plugins.contracts`.
"""

import pluggy

hookspec = pluggy.HookspecMarker("themes")
hookimpl = pluggy.HookimplMarker("themes")


@hookspec
def themes_theme_presets() -> list:
    """Storefront theme presets: ``slug``, ``label``, ``template``, ``role_map`` (CSS variable → palette role)."""


@hookspec
def themes_cover_layouts() -> list:
    """Cover layouts: objects with ``name``, ``label`` and ``draw(canvas, spec, ctx)`` (see themes.covers)."""


@hookspec
def themes_objective_terms() -> list:
    """Extra palette objective terms: ``name``, ``label``, ``weight``, ``score(palette: dict) -> float`` in [0, 1].

    ``score`` gets a finished candidate's light roles (role → ``#rrggbb``) and re-ranks the engine's candidates
    by ``U + weight × score``. A term may also define ``torch_score(light, dark) -> tensor (batch,)``, a
    differentiable torch function of the two variant palettes ``(batch, roles, 3)`` in linear RGB (rows
    background, surface, text, primary, secondary, accent, …), ideally in [0, 1]: it then steers the optimiser
    itself (``themes.palette.Term``; ``weight × torch_score`` is part of U) and is not added again when
    re-ranking. A ``torch_score`` that raises or returns the wrong shape on a probe palette falls back to
    ``score``. Runs in the palette workers only (import torch inside the method)."""


@hookspec
def themes_token_exporters() -> list:
    """Design-token exporters: ``slug``, ``label``, ``media_type``, ``filename``, ``export(tokens) -> str``."""


@hookspec
def themes_page_sections() -> list:
    """Storefront page sections: ``slug``, ``label``, ``template``, ``clean(data) -> dict``."""
