"""A complete plugin in about ten lines: one preset, one token exporter and one palette objective term."""

from themes.builtin.presets import ThemePreset
from themes.plugins.hookspecs import hookimpl


class PlainText:
    slug, label, media_type, filename = "plain", "Plain text", "text/plain", "palette.txt"

    def export(self, tokens):
        return "\n".join(f"{role} {value}" for role, value in tokens["light"].items())


class WarmAccent:
    """Prefers a warm (red over blue) accent: 1.0 for pure red, 0.0 for pure blue."""

    name, label, weight = "warm_accent", "Warm accent", 0.5

    def score(self, palette):
        red, blue = int(palette["accent"][1:3], 16), int(palette["accent"][5:7], 16)
        return 0.5 + (red - blue) / 510


@hookimpl
def themes_theme_presets():
    return [ThemePreset("minimal", "Minimal", "themes/presets/classic.html")]


@hookimpl
def themes_token_exporters():
    return [PlainText()]


@hookimpl
def themes_objective_terms():
    return [WarmAccent()]
