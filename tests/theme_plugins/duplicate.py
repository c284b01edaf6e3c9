from themes.builtin.presets import ThemePreset
from themes.plugins.hookspecs import hookimpl


@hookimpl
def themes_theme_presets():
    return [ThemePreset("classic", "Another classic", "themes/presets/classic.html")]
