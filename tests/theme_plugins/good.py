"""A complete plugin in about ten lines: one preset and one token exporter."""

from themes.builtin.presets import ThemePreset
from themes.plugins.hookspecs import hookimpl


class PlainText:
    slug, label, media_type, filename = "plain", "Plain text", "text/plain", "palette.txt"

    def export(self, tokens):
        return "\n".join(f"{role} {value}" for role, value in tokens["light"].items())


@hookimpl
def themes_theme_presets():
    return [ThemePreset("minimal", "Minimal", "themes/presets/classic.html")]


@hookimpl
def themes_token_exporters():
    return [PlainText()]
