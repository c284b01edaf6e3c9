"""Reads for theming: the active palette of a storefront, stylesheet and cover URLs."""

from django.urls import reverse


def active_palette_roles(storefront) -> dict[str, str] | None:
    return None


def theme_stylesheet_url(storefront) -> str:
    return ""


def cover_url(course, size: str = "card") -> str:
    return reverse("themes:course_cover", args=[course.pk]) + f"?size={size}"
