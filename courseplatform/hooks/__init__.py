"""The core's plugin manager: installed apps implement the hooks the core declares.

Every installed app with a ``platform_hooks`` module is a plugin (the core's own apps too), found once, on first
use, in ``INSTALLED_APPS`` order; ``settings.PLATFORM_PLUGINS`` may name more modules. Hook specifications are
``courseplatform.hooks.hookspecs`` plus every installed app's ``hookspecs`` module (``pages``: page sections,
``experiments``: arm kinds). Removing an app from ``INSTALLED_APPS`` removes its hooks, nothing else changes.

    from courseplatform.hooks import hookimpl

    @hookimpl
    def studio_links(request, storefront):
        return [Link(_("Palette"), reverse("themes:palette_studio", args=[storefront.slug]))]
"""

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pluggy
from django.apps import apps as app_registry
from django.conf import settings
from django.utils.module_loading import module_has_submodule

from . import hookspecs
from .hookspecs import PROJECT, hookimpl

__all__ = ["Link", "call", "first", "hookimpl", "manager", "plugin_registered", "reset"]

PLUGIN_MODULE = "platform_hooks"
SPEC_MODULE = "hookspecs"


@dataclass(frozen=True)
class Link:
    """A labelled link contributed by a plugin (studio rows, staff navigation)."""

    label: Any
    url: str
    button: bool = False  # shown as a button (the page's main next step)


_state: dict[str, pluggy.PluginManager | None] = {"manager": None}


def _build() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    configs = list(app_registry.get_app_configs())
    for config in configs:
        if config.name != __name__ and module_has_submodule(config.module, SPEC_MODULE):
            module = importlib.import_module(f"{config.name}.{SPEC_MODULE}")
            if any(hasattr(obj, f"{PROJECT}_spec") for obj in vars(module).values()):
                pm.add_hookspecs(module)
    modules = [importlib.import_module(f"{c.name}.{PLUGIN_MODULE}") for c in configs
               if module_has_submodule(c.module, PLUGIN_MODULE)]
    modules += [importlib.import_module(path) for path in getattr(settings, "PLATFORM_PLUGINS", [])]
    for module in reversed(modules):  # pluggy calls the last registered first: keep INSTALLED_APPS order
        pm.register(module, name=module.__name__)
    pm.check_pending()  # a misspelt hook name fails loudly at start-up, not silently per request
    return pm


def manager() -> pluggy.PluginManager:
    """The plugin manager, built on first use (after the app registry is ready)."""
    if _state["manager"] is None:
        _state["manager"] = _build()
    return _state["manager"]


def reset() -> None:
    """Forget the manager (tests that change ``INSTALLED_APPS`` or ``PLATFORM_PLUGINS``)."""
    _state["manager"] = None


def call(name: str, **kwargs) -> list:
    """Every plugin's answer to hook ``name`` (``None`` answers dropped), in ``INSTALLED_APPS`` order."""
    results = getattr(manager().hook, name)(**kwargs)
    return [r for r in results if r is not None]


def call_flat(name: str, **kwargs) -> list:
    """:func:`call` for hooks whose answers are lists: one list of all items."""
    return [item for items in call(name, **kwargs) for item in items]


def first(name: str, **kwargs):
    """The answer of a ``firstresult`` hook (the first plugin's non-``None`` answer, else ``None``)."""
    return getattr(manager().hook, name)(**kwargs)


def spec_argnames(name: str) -> tuple[str, ...]:
    caller = getattr(manager().hook, name)
    return tuple(caller.spec.argnames) if caller.spec else ()


@contextmanager
def plugin_registered(plugin) -> Iterator[object]:
    """Register ``plugin`` (a module or object with ``@hookimpl`` methods) inside a ``with`` block (tests)."""
    pm = manager()
    pm.register(plugin)
    try:
        yield plugin
    finally:
        pm.unregister(plugin)
