"""The core's own defaults for the hooks that need one (registered like any plugin, answered last)."""

from django.templatetags.static import static

from courseplatform.hooks import hookimpl

PLACEHOLDER_IMAGE = "img/course-placeholder.svg"


@hookimpl(trylast=True)
def course_image_url(request, course, size: str) -> str:
    """A plain placeholder when no plugin draws course images."""
    return static(PLACEHOLDER_IMAGE)


@hookimpl(trylast=True)
def storefront_template(storefront) -> str:
    return "catalog/storefront.html"
