"""Small explicit registries (Wagtail's hooks.py pattern), filled once from settings.THEMES_PLUGINS.

Loading never takes the site down: a plugin that fails to import, raises in a hook or breaks its
contract is skipped and reported through Django's system checks (``themes.E001``–``E004``).
"""

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pluggy
from django.conf import settings

from . import hookspecs
from .contracts import contract_problems, key_of

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PluginError:
    code: str
    plugin: str
    message: str


class Registry:
    """Plugins of one kind, in registration order, keyed by slug (``name`` for cover layouts)."""

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, object] = {}

    def register(self, plugin, *, source: str = "") -> None:
        key = key_of(self.kind, plugin)
        if key in self._items:
            raise ValueError(f"duplicate {self.kind} slug {key!r}" + (f" from {source}" if source else ""))
        self._items[key] = plugin

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str, default=None):
        _ensure_loaded()
        return self._items.get(key, default)

    def __getitem__(self, key: str):
        _ensure_loaded()
        return self._items[key]

    def __contains__(self, key: str) -> bool:
        _ensure_loaded()
        return key in self._items

    def all(self) -> list:
        _ensure_loaded()
        return list(self._items.values())

    def keys(self) -> list[str]:
        _ensure_loaded()
        return list(self._items)

    def clear(self) -> None:
        self._items.clear()

    @contextmanager
    def register_temporarily(self, plugin) -> Iterator[object]:
        """Register ``plugin`` only inside a ``with`` block (for tests)."""
        _ensure_loaded()
        self.register(plugin, source="register_temporarily")
        try:
            yield plugin
        finally:
            self.unregister(key_of(self.kind, plugin))


THEME_PRESETS = Registry("theme_presets")
COVER_LAYOUTS = Registry("cover_layouts")
OBJECTIVE_TERMS = Registry("objective_terms")
TOKEN_EXPORTERS = Registry("token_exporters")
SECTIONS = Registry("page_sections")
REGISTRIES = {
    "theme_presets": THEME_PRESETS,
    "cover_layouts": COVER_LAYOUTS,
    "objective_terms": OBJECTIVE_TERMS,
    "token_exporters": TOKEN_EXPORTERS,
    "page_sections": SECTIONS,
}
_state = {"loaded": False, "errors": []}


def _ensure_loaded() -> None:
    if not _state["loaded"]:
        load_plugins(getattr(settings, "THEMES_PLUGINS", []))


def load_plugins(dotted_paths: list[str]) -> list[PluginError]:
    """(Re)build every registry from ``dotted_paths``, in order; returns the problems found."""
    errors: list[PluginError] = []
    manager = pluggy.PluginManager("themes")
    manager.add_hookspecs(hookspecs)
    modules = []
    for path in dotted_paths:
        try:
            module = importlib.import_module(path)
            manager.register(module, name=path)
            modules.append((path, module))
        except Exception as error:  # reported by the system check, never raised into a request
            errors.append(PluginError("themes.E001", path, f"cannot load plugin {path!r}: {error!r}"))
    try:
        manager.check_pending()  # a misspelt @hookimpl name is a plugin error, not a silent no-op
    except pluggy.PluginValidationError as error:
        errors.append(PluginError("themes.E001", str(error.plugin), str(error)))
    for registry in REGISTRIES.values():
        registry.clear()
    _state["loaded"] = True  # set before filling, so registry methods don't recurse
    for path, module in modules:
        for kind, registry in REGISTRIES.items():
            hook = getattr(module, f"themes_{kind}", None)
            if hook is None:
                continue
            try:
                plugins = list(hook() or [])
            except Exception as error:
                errors.append(PluginError("themes.E001", path, f"hook themes_{kind} raised {error!r}"))
                continue
            for plugin in plugins:
                missing = contract_problems(kind, plugin)
                if missing:
                    errors.append(PluginError(
                        "themes.E004", path, f"{kind} plugin {plugin!r} lacks {', '.join(missing)}"))
                    continue
                try:
                    registry.register(plugin, source=path)
                except ValueError as error:
                    errors.append(PluginError("themes.E002", path, str(error)))
    _state["errors"] = errors
    for error in errors:
        logger.error("theme plugin problem %s: %s", error.code, error.message)
    return errors


def plugin_errors() -> list[PluginError]:
    _ensure_loaded()
    return list(_state["errors"])
