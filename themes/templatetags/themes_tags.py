from django import template

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
