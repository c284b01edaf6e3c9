"""The page editor in the creator studio, and the public newsletter sign-up. Thin callers of services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform import hooks
from courseplatform.catalog.models import Storefront
from courseplatform.catalog.permissions import creator_required

from . import newsletter, selectors, services
from .forms import SectionForm
from .rendering import page_classes, render_sections
from .sections import sections_registry


def _owned(request, slug) -> Storefront:
    return get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)


def _editor(storefront, anchor: str = ""):
    url = reverse("pages:editor", args=[storefront.slug])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _summary(plugin, data: dict) -> str:
    for field in plugin.fields:
        value = data.get(field.name)
        if field.kind in ("text",) and value:
            return str(value)[:80]
    return ""


@creator_required
@require_GET
def editor(request, slug):
    storefront = _owned(request, slug)
    version = selectors.draft_or_latest(storefront)
    sections = sections_registry()
    rows = []
    for section in (version.sections if version else []):
        plugin = sections.get(section.get("type", ""))
        rows.append({"id": section["id"], "type": section["type"], "plugin": plugin,
                     "label": plugin.label if plugin else section["type"],
                     "summary": _summary(plugin, section.get("data") or {}) if plugin else ""})
    page = selectors.page_for(storefront)
    return render(request, "pages/editor.html", {
        "storefront": storefront, "version": version, "rows": rows, "plugins": sections.all(),
        "published": page.published_version if page else None,
        "versions": selectors.versions(storefront, limit=10),
    })


@creator_required
@require_POST
def section_add(request, slug):
    storefront = _owned(request, slug)
    try:
        section = services.section_add(storefront=storefront, actor=request.user,
                                       section_type=request.POST.get("type", "")[:40])
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return _editor(storefront)
    messages.success(request, _("Section added to the draft."))
    return redirect("pages:section_edit", slug=storefront.slug, section_id=section["id"])


def _draft_section(storefront, section_id):
    version = selectors.draft_or_latest(storefront)
    for section in (version.sections if version else []):
        if section.get("id") == section_id:
            return section
    raise Http404


@creator_required
@require_http_methods(["GET", "POST"])
def section_edit(request, slug, section_id):
    storefront = _owned(request, slug)
    section = _draft_section(storefront, section_id)
    plugin = sections_registry().get(section["type"])
    if plugin is None:
        raise Http404
    form = SectionForm(plugin, storefront, request.POST or None, section_data=section.get("data") or {})
    if request.method == "POST" and form.is_valid():
        try:
            services.section_update(storefront=storefront, actor=request.user, section_id=section_id,
                                    data=form.section_data())
        except ValidationError as error:
            form.apply_errors(error)
        else:
            messages.success(request, _("Section saved to the draft."))
            return _editor(storefront, f"s-{section_id}")
    return render(request, "pages/section_form.html",
                  {"storefront": storefront, "plugin": plugin, "section": section, "form": form})


@creator_required
@require_POST
def section_remove(request, slug, section_id):
    storefront = _owned(request, slug)
    try:
        services.section_remove(storefront=storefront, actor=request.user, section_id=section_id)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Section removed from the draft."))
    return _editor(storefront)


@creator_required
@require_POST
def section_move(request, slug, section_id):
    storefront = _owned(request, slug)
    offset = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if offset is None:
        messages.error(request, _("Choose up or down."))
        return _editor(storefront)
    try:
        services.section_move(storefront=storefront, actor=request.user, section_id=section_id, offset=offset)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return _editor(storefront, f"s-{section_id}")


@creator_required
@require_POST
def sections_reorder(request, slug):
    storefront = _owned(request, slug)
    order = [i for i in request.POST.get("order", "").split(",") if i][: services.MAX_SECTIONS + 1]
    try:
        services.sections_reorder(storefront=storefront, actor=request.user, order=order)
    except ValidationError as error:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": _error_text(error)}, status=409)
        messages.error(request, _error_text(error))
        return _editor(storefront)
    if _wants_json(request):
        return JsonResponse({"ok": True, "message": _("Order saved to the draft.")})
    messages.success(request, _("Order saved to the draft."))
    return _editor(storefront)


@creator_required
@require_GET
def preview(request, slug):
    """The draft in the storefront's look; a plugin may offer variants of that look (``page_preview_extras``,
    e.g. a candidate palette chosen in the query string)."""
    storefront = _owned(request, slug)
    version = selectors.draft_or_latest(storefront)
    preview_extras = hooks.first("page_preview_extras", request=request, storefront=storefront)
    sections = render_sections(storefront, version.sections if version else [], request, preview=True)
    return render(request, "pages/preview.html", {
        "storefront": storefront, "version": version, "sections": sections, "preview": preview_extras,
        "body_classes": " ".join(hooks.call_flat("storefront_body_classes", storefront=storefront)),
        "page_classes": page_classes(storefront)})


@creator_required
@require_POST
def publish(request, slug):
    storefront = _owned(request, slug)
    try:
        version = services.page_publish(storefront=storefront, actor=request.user,
                                        note=request.POST.get("note", "")[:200])
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Version %(n)d is live.") % {"n": version.number})
    return _editor(storefront)


@creator_required
@require_POST
def unpublish(request, slug):
    storefront = _owned(request, slug)
    services.page_unpublish(storefront=storefront, actor=request.user)
    messages.success(request, _("The storefront shows its standard layout again."))
    return _editor(storefront)


@creator_required
@require_GET
def versions(request, slug):
    storefront = _owned(request, slug)
    page = selectors.page_for(storefront)
    return render(request, "pages/versions.html", {
        "storefront": storefront, "versions": selectors.versions(storefront),
        "published": page.published_version if page else None})


@creator_required
@require_POST
def restore(request, slug, number):
    storefront = _owned(request, slug)
    try:
        version = services.page_restore(storefront=storefront, actor=request.user, number=number)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("pages:versions", slug=storefront.slug)
    messages.success(request, _("Version %(old)d copied into a new draft (version %(new)d); publish it to make it "
                                "live.") % {"old": number, "new": version.number})
    return _editor(storefront)


@require_POST
def newsletter_signup(request, slug):
    storefront = get_object_or_404(Storefront, slug=slug)
    if not selectors.published_has_section(storefront, "newsletter"):
        messages.error(request, _("This storefront has no newsletter."))
        return redirect(storefront.get_absolute_url())
    try:
        signup, _created = services.newsletter_signup(storefront=storefront, email=request.POST.get("email", ""),
                                                      language=translation.get_language() or "")
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("You were already on the list.") if signup.confirmed_at else
                         _("Almost done: we sent you an e-mail. Follow its link to confirm your subscription."))
    return redirect(storefront.get_absolute_url())


@require_http_methods(["GET", "POST"])
def newsletter_confirm(request, token):
    """The mailed link: GET asks for the click (a mail scanner's GET confirms nothing), POST confirms."""
    if request.method == "GET":
        return render(request, "pages/newsletter_confirm.html", {})
    try:
        signup = newsletter.newsletter_confirm(token)
    except ValidationError as error:
        return render(request, "pages/newsletter_confirm.html", {"error": _error_text(error)}, status=400)
    return render(request, "pages/newsletter_confirm.html", {"signup": signup})
