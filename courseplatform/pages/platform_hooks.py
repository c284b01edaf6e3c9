"""The core's own page sections, contributed through the ``page_sections`` hook like any plugin's."""

from courseplatform.hooks import hookimpl

from .builtin_sections import BUILTIN_SECTIONS


@hookimpl
def page_sections() -> list:
    return list(BUILTIN_SECTIONS)
