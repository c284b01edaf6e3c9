"""Built-in storefront theme presets, registered like any third-party plugin."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from themes.plugins.hookspecs import hookimpl

#: CSS custom property → palette role. ``--c-on-primary`` is derived (text or background, whichever reads better).
STANDARD_ROLE_MAP = {
    "--c-background": "background",
    "--c-surface": "surface",
    "--c-text": "text",
    "--c-primary": "primary",
    "--c-secondary": "secondary",
    "--c-accent": "accent",
}


@dataclass(frozen=True)
class ThemePreset:
    slug: str
    label: str
    template: str
    role_map: dict = field(default_factory=lambda: dict(STANDARD_ROLE_MAP))
    body_class: str = ""


CLASSIC = ThemePreset("classic", _("Classic"), "themes/presets/classic.html", body_class="preset-classic")
BOLD = ThemePreset("bold", _("Bold hero"), "themes/presets/bold.html", body_class="preset-bold")


@hookimpl
def themes_theme_presets():
    return [CLASSIC, BOLD]
