import re

from django import template
from django.utils.html import format_html

from themes import cover_store, selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def theme_stylesheet_url(context, storefront, request=None) -> str:
    """URL of the storefront's generated theme stylesheet, or "" when no palette is active.

    With ``request`` (``{% theme_stylesheet_url storefront request %}``) a visitor in a running palette A/B
    test gets their variant's stylesheet.
    """
    return selectors.theme_stylesheet_url(storefront, request)


@register.simple_tag(takes_context=True)
def cover_url(context, course, size: str = "card") -> str:
    """The cover's URL; in the visitor's experiment variant palette when an A/B test runs on its storefront."""
    return cover_store.cover_url(course, size, context.get("request"))


_HEX = re.compile(r"#[0-9a-fA-F]{6}")


@register.simple_tag
def hex_swatch(value: str, size: int = 20) -> str:
    """A small square of ``value`` as inline SVG (a ``fill`` attribute, which the CSP's style-src does not govern,
    unlike a style attribute). Only a validated ``#rrggbb`` is ever written; anything else draws nothing."""
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        return ""
    return format_html('<svg class="hex-swatch" width="{0}" height="{0}" viewBox="0 0 20 20" aria-hidden="true" '
                       'focusable="false"><rect width="20" height="20" rx="3" fill="{1}" stroke="#767676" '
                       'stroke-width="1"/></svg>', int(size), value.lower())


@register.filter
def percent(value) -> str:
    """0.423 → "42 %" (locale-formatted number)."""
    try:
        return f"{round(float(value) * 100)} %"
    except (TypeError, ValueError):
        return ""
