"""Built-in cover layouts from the pure renderer, registered through the cover-layout hook.

The renderer (:mod:`themes.covers`) imports no Django, so its layouts carry English labels; the platform
registers copies whose ``label`` is translated lazily (rendered in the visitor's language, e.g. in the course
form's layout picker). Everything else, the name included, is the renderer's layout unchanged.
"""

from dataclasses import replace

from django.utils.translation import gettext_lazy as _

from themes.plugins.hookspecs import hookimpl

#: layout name -> translated label (a layout missing here keeps the renderer's label)
LABELS = {
    "gradient-band": _("Gradient band"),
    "geometric": _("Geometric pattern"),
    "split": _("Split with logo"),
}


@hookimpl
def themes_cover_layouts():
    from themes.covers import BUILTIN_LAYOUTS

    return [replace(layout, label=LABELS[layout.name]) if layout.name in LABELS else layout
            for layout in BUILTIN_LAYOUTS]
