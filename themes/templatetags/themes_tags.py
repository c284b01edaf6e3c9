from django import template

from themes import selectors

register = template.Library()


@register.simple_tag
def theme_stylesheet_url(storefront) -> str:
    """URL of the storefront's generated theme stylesheet, or "" when no palette is active."""
    return selectors.theme_stylesheet_url(storefront)


@register.simple_tag
def cover_url(course, size: str = "card") -> str:
    return selectors.cover_url(course, size)
