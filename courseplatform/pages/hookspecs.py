"""Page sections are contributed by plugins (the core's built-ins register the same way).

A section is a :class:`courseplatform.pages.sections.Section` (or any object with its attributes): ``slug``,
``label``, ``template``, ``fields``, ``clean(data) -> dict``, ``context(data, ctx) -> dict`` (bounded queries,
no writes) and ``cache_variant(data, request) -> str | None`` (``None``: render per request).
"""

from courseplatform.hooks.hookspecs import hookspec


@hookspec
def page_sections() -> list:
    """The page sections a plugin contributes, in the order the editor lists them."""


@hookspec(firstresult=True)
def course_page_section_types(storefront) -> tuple[str, ...] | None:
    """Which of the storefront's published section types its course pages show, in order (``()``: none).
    Core default: the creator's "about" block."""


@hookspec
def page_editor_preview_panels(request, storefront) -> str | None:
    """Escaped HTML beside the page editor's preview button (e.g. a form to preview in a candidate palette,
    answered by ``page_preview_extras``)."""
