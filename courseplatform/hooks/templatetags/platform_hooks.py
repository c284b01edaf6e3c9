"""One small tag library for core templates: what plugins contribute to a page.

    {% load platform_hooks %}
    {% hook "course_page_panels" course=course %}          joined HTML of every plugin (request is implicit)
    {% hook_results "studio_links" storefront=s as links %}  the answers as one list
    {% storefront_head storefront %}                        stylesheet links + head tags of the storefront's look
    {% course_image_url course "card" %}                    the course's image URL (a placeholder without plugins)

Tags only read: every hook called here must not write (see hookspecs).
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from courseplatform import hooks

register = template.Library()


def _kwargs(name: str, context, kwargs: dict) -> dict:
    argnames = hooks.spec_argnames(name)
    if "request" in argnames and "request" not in kwargs:
        kwargs["request"] = context.get("request")
    return kwargs


@register.simple_tag(takes_context=True)
def hook(context, name: str, **kwargs) -> SafeString:
    """The HTML every plugin returns for hook ``name``, joined in ``INSTALLED_APPS`` order."""
    return mark_safe("".join(str(html) for html in hooks.call(name, **_kwargs(name, context, kwargs))))


@register.simple_tag(takes_context=True)
def hook_results(context, name: str, **kwargs) -> list:
    """The answers to a list-valued hook ``name``, flattened into one list."""
    return hooks.call_flat(name, **_kwargs(name, context, kwargs))


@register.simple_tag(takes_context=True)
def storefront_head(context, storefront) -> SafeString:
    """``<link rel="stylesheet">`` for each URL plugins give for ``storefront``'s look, then their head tags."""
    request = context.get("request")
    urls = hooks.call_flat("storefront_stylesheet_urls", request=request, storefront=storefront)
    links = format_html_join("", '<link rel="stylesheet" href="{}">', ((url,) for url in urls))
    tags = "".join(str(t) for t in hooks.call("storefront_head_tags", request=request, storefront=storefront))
    return mark_safe(str(links) + tags)


@register.simple_tag
def storefront_body_classes(storefront) -> str:
    return " ".join(hooks.call_flat("storefront_body_classes", storefront=storefront))


@register.simple_tag(takes_context=True)
def course_image_url(context, course, size: str = "card") -> str:
    return hooks.first("course_image_url", request=context.get("request"), course=course, size=size) or ""
