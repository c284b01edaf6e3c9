"""Built-in storefront theme presets, registered like any third-party plugin."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from courseplatform.pages.sections import DEFAULT_COURSE_PAGE_SECTIONS
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
    #: CSS class(es) on ``<body>`` of the storefront page and of its course pages
    body_class: str = ""
    #: which of the storefront's published section types its course pages show (``()``: none)
    course_page_sections: tuple[str, ...] = DEFAULT_COURSE_PAGE_SECTIONS


CLASSIC = ThemePreset("classic", _("Classic"), "themes/presets/classic.html", body_class="preset-classic",
                      course_page_sections=DEFAULT_COURSE_PAGE_SECTIONS)
#: Bold leans on social proof: course pages carry the storefront's testimonials after the creator's "about".
BOLD = ThemePreset("bold", _("Bold hero"), "themes/presets/bold.html", body_class="preset-bold",
                   course_page_sections=("about", "testimonials"))


@hookimpl
def themes_theme_presets():
    return [CLASSIC, BOLD]
