"""Built-in cover layouts from the pure renderer, registered through the cover-layout hook."""

from themes.plugins.hookspecs import hookimpl


@hookimpl
def themes_cover_layouts():
    from themes.covers import BUILTIN_LAYOUTS

    return list(BUILTIN_LAYOUTS)
