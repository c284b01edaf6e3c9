"""The theming plugin host: four explicit registries filled from ``settings.THEMES_PLUGINS``.

A plugin is a module listed in ``THEMES_PLUGINS`` that implements any of the hooks in
:mod:`themes.plugins.hookspecs` (found through pluggy). The built-ins in :mod:`themes.builtin` register
exactly the same way. See themes/README.md for a ten-line example.
"""

from .registry import (
    COVER_LAYOUTS,
    OBJECTIVE_TERMS,
    SECTIONS,
    THEME_PRESETS,
    TOKEN_EXPORTERS,
    Registry,
    load_plugins,
    plugin_errors,
)

__all__ = [
    "COVER_LAYOUTS", "OBJECTIVE_TERMS", "SECTIONS", "THEME_PRESETS", "TOKEN_EXPORTERS", "Registry", "load_plugins",
    "plugin_errors",
]
