"""The theming plugin's answers to the core's hooks (courseplatform.hooks.hookspecs): a storefront's look (theme
stylesheet, preset template and body class), course covers, the cover-layout picker, studio links, the page
builder's palette preview, and palette A/B test arms."""

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from courseplatform.hooks import Link, hookimpl

from . import cover_store, selectors
from .covers.certificate import render_certificate
from .experiment_arms import ARMS
from .models import Palette, PaletteJob, PaletteTransition
from .plugins import COVER_LAYOUTS, SECTIONS


@hookimpl
def storefront_stylesheet_urls(request, storefront) -> list[str]:
    url = selectors.theme_stylesheet_url(storefront, request)
    return [url] if url else []


@hookimpl
def storefront_body_classes(storefront) -> list[str]:
    preset = selectors.theme_preset(storefront)
    return [preset.body_class] if preset is not None and getattr(preset, "body_class", "") else []


@hookimpl
def storefront_template(storefront) -> str | None:
    preset = selectors.theme_preset(storefront)
    return preset.template if preset is not None else None


@hookimpl
def course_page_section_types(storefront) -> tuple[str, ...] | None:
    preset = selectors.theme_preset(storefront)
    if preset is None or not hasattr(preset, "course_page_sections"):
        return None  # a third-party preset that does not say: the core's default
    return tuple(preset.course_page_sections or ())


@hookimpl
def storefront_cache_key_parts(storefront) -> list[str]:
    palette = selectors.active_palette(storefront)
    return [f"palette-{palette.pk}-{selectors.palette_version(palette)}" if palette else "palette-none"]


@hookimpl
def course_image_url(request, course, size: str) -> str:
    return cover_store.cover_url(course, size, request)


@hookimpl
def cover_layouts() -> list[tuple[str, str]]:
    return [(layout.name, layout.label) for layout in COVER_LAYOUTS.all()]


@hookimpl
def course_form_panels(request, storefront, course, form) -> str | None:
    """The cover-layout picker with live previews in the storefront's palette."""
    if "cover_layout" not in form.fields:
        return None
    return render_to_string("themes/_cover_picker.html", {
        "form": form, "field": form["cover_layout"], "storefront": storefront, "course": course,
        "default_cover_layout": cover_store.default_layout(storefront)}, request=request)


@hookimpl
def studio_links(request, storefront, place: str) -> list[Link]:
    palettes = reverse("themes:palette_studio", args=[storefront.slug])
    if place == "studio":
        return [Link(_("Palette"), palettes)]
    return [Link(_("Brand palette"), palettes, button=True),
            Link(_("Style guide"), reverse("themes:style_guide", args=[storefront.slug]))]


@hookimpl
def staff_links(request) -> list[Link]:
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return []
    return [Link(_("Palette review queue"), reverse("themes:review_queue"))]


@hookimpl
def page_preview_extras(request, storefront) -> dict:
    """The page builder's preview in a candidate palette (``?palette=<id>``), with a picker of palettes."""
    palette = None
    if request.GET.get("palette"):
        palette = selectors.candidate_palette(storefront, request.GET["palette"])
        if palette is None:
            raise Http404
    stylesheets = ([reverse("themes:preview_css") + f"?ids={palette.pk}"] if palette
                   else ([url] if (url := selectors.theme_stylesheet_url(storefront, request)) else []))
    return {
        "stylesheet_urls": stylesheets,
        "css_class": f"pv-{palette.pk}" if palette else "",
        "panel": render_to_string("themes/_preview_palette_picker.html", {
            "palette": palette, "palettes": selectors.preview_palettes(storefront)}, request=request),
    }


@hookimpl
def page_editor_preview_panels(request, storefront) -> str:
    return render_to_string("themes/_editor_palette_preview.html", {
        "storefront": storefront, "palettes": selectors.preview_palettes(storefront)}, request=request)


@hookimpl
def page_sections() -> list:
    """The theming plugin's sections (its built-ins and those of theme plugins, ``THEMES_PLUGINS``)."""
    return SECTIONS.all()


@hookimpl
def experiment_arm_kinds() -> list:
    return [ARMS]


@hookimpl
def certificate_image(storefront, learner_name: str, course_title: str, issued_on: str, size):
    """Certificates in the storefront's active palette, drawn by the cover engine's text engine (CJK, RTL)."""
    return render_certificate(heading=_("Certificate of completion"), name=learner_name,
                              completed=_("has completed"), course_title=course_title, issued_on=issued_on,
                              issuer=storefront.name, palette=selectors.active_palette_roles(storefront), size=size)


@hookimpl
def personal_data_export(user) -> dict:
    """The palettes of the storefronts ``user`` owns (briefs and jobs they requested are exported by the core
    through their foreign keys)."""
    rows = Palette.objects.filter(storefront__owner=user).order_by("pk").values(
        "pk", "storefront_id", "status", "colors", "dark", "scores", "created_at")
    return {"themes.palettes": list(rows)}


@hookimpl
def personal_data_erase(user) -> dict:
    """Palette jobs and review transitions keep no link to the person (their storefronts' palettes go with the
    storefronts, or stay with a storefront kept for its learners)."""
    return {"themes.palette_jobs": PaletteJob.objects.filter(requested_by=user).update(requested_by=None),
            "themes.transitions": PaletteTransition.objects.filter(actor=user).update(actor=None)}
