"""Theming pages (creator studio, staff review) and assets (theme.css, previews, tokens, covers)."""

import functools
import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.accounts.decorators import staff_required
from courseplatform.catalog.models import Course, Storefront
from courseplatform.catalog.permissions import creator_required

from . import cover_store, presentation, selectors, services
from .css import derived_colors, preview_css, theme_css, validated_roles
from .experiment_arms import experiment_palettes
from .forms import CoverPreviewForm, PaletteBriefForm, ReviewForm
from .models import Palette, PaletteJob, PaletteStatus
from .plugins import COVER_LAYOUTS, TOKEN_EXPORTERS


def _cached_text(request, body: str, content_type: str, *, immutable: bool = False) -> HttpResponse:
    etag = quote_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=31536000, immutable" if immutable else "no-cache"
    return response


# --- creator studio -------------------------------------------------------------------------------

@creator_required
@require_http_methods(["GET", "POST"])
def palette_studio(request, slug):
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    suggested = None
    if "logo" in request.GET:  # "Use these colours": the logo's suggestions fill the colour rows, to edit
        suggested = selectors.accepted_logo_colours(storefront, request.GET["logo"])
        if suggested is None:
            raise Http404
    form = PaletteBriefForm(request.POST or None, initial=PaletteBriefForm.initial_for(storefront, suggested))
    if request.method == "POST" and form.is_valid():
        try:
            job, created = services.palette_job_request(storefront=storefront, actor=request.user,
                                                        brief=form.brief())
        except services.QuotaExceeded as exc:
            messages.error(request, exc.message)
            response = render(request, "themes/palette_studio.html", _studio_context(storefront, form), status=429)
            response["Retry-After"] = str(exc.retry_after_s)
            return response
        if not created:
            messages.info(request, _("The same brief is already being worked on; here is that job."))
        return redirect("themes:palette_job", pk=job.pk)
    return render(request, "themes/palette_studio.html", _studio_context(storefront, form))


def _studio_context(storefront, form) -> dict:
    return {"storefront": storefront, "form": form, "jobs": selectors.jobs_for_storefront(storefront)[:10],
            "palettes": selectors.palettes_for_storefront(storefront),
            "cover_batch": selectors.latest_cover_batch(storefront), "exporters": TOKEN_EXPORTERS.all(),
            "logo_colours": selectors.logo_colours_for(storefront)}


@creator_required
@require_POST
def logo_colours_request(request, slug):
    """"Suggest colours from the logo": a worker clusters the logo's pixels; the studio polls for the result."""
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    try:
        services.logo_colours_request(storefront=storefront, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("themes:palette_studio", args=[storefront.slug]) + "#logo-colours")


@creator_required
@require_GET
def logo_colours_progress(request, slug):
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    return render(request, "themes/_logo_colours.html", {"storefront": storefront,
                                                          "logo_colours": selectors.logo_colours_for(storefront)})


def _own_job(request, pk) -> PaletteJob:
    return get_object_or_404(PaletteJob.objects.select_related("storefront").filter(
        storefront__owner=request.user), pk=pk)


@creator_required
@require_GET
def palette_job(request, pk):
    job = _own_job(request, pk)
    return render(request, "themes/palette_job.html", _job_context(job))


@creator_required
@require_GET
def palette_job_progress(request, pk):
    job = _own_job(request, pk)
    return render(request, "themes/_job_progress.html", _job_context(job))


#: how many candidates the compare view puts side by side
COMPARE_MIN, COMPARE_MAX = 2, 3
#: score rows of the compare view: (key in Palette.scores, label)
COMPARE_SCORES = (("U", gettext_lazy("Overall")), ("H", gettext_lazy("Harmony")),
                  ("V", gettext_lazy("Legibility")), ("B", gettext_lazy("On-brand")))


@creator_required
@require_GET
def palette_job_compare(request, pk):
    """Two or three candidates of a job side by side: ``?ids=<palette id>&ids=…`` (the job page's "Add to
    comparison" checkboxes). Fewer or more, or an id that is not a candidate of this job: 400 with the reason."""
    job = _own_job(request, pk)
    raw = request.GET.getlist("ids")
    ids = list(dict.fromkeys(int(i) for i in raw if i.isascii() and i.isdigit() and len(i) <= 12))
    found = {p.pk: p for p in job.palettes.filter(pk__in=ids).prefetch_related("transitions")} if ids else {}
    chosen = [found[i] for i in ids if i in found]
    error = ""
    if len(chosen) != len(raw) or not COMPARE_MIN <= len(chosen) <= COMPARE_MAX:
        error = _("Choose two or three different candidates of this job to compare.")
        chosen = []
    rows = []
    for key, label in COMPARE_SCORES:
        values = [p.scores.get(key) for p in chosen]
        best = max((v for v in values if isinstance(v, int | float)), default=None)
        rows.append({"label": label, "cells": [{"value": v, "best": v is not None and v == best and len(chosen) > 1}
                                               for v in values]})
    columns = [{"palette": p, "swatches": presentation.swatches(p), "contrast": presentation.contrast_rows(p)}
               for p in chosen]
    return render(request, "themes/palette_compare.html", {
        "job": job, "storefront": job.storefront, "error": error, "score_rows": rows if chosen else [],
        "preview_title": selectors.preview_course_title(job.storefront) if chosen else "",
        "columns": columns, "contrast_rows": _compare_contrast(columns),
    }, status=400 if error else 200)


def _compare_contrast(columns: list[dict]) -> list[dict]:
    """One contrast table for the compared candidates: a row per pair, a cell per candidate with its light and dark
    figures (``None`` where a candidate has no such pair), so the figures are read across, not scrolled to."""
    by_pair = [{row["pair"]: row for row in col["contrast"]} for col in columns]
    pairs = list(dict.fromkeys(pair for rows in by_pair for pair in rows))
    out = []
    for pair in pairs:
        first = next(rows[pair] for rows in by_pair if pair in rows)
        out.append({"label": first["label"], "required": first["required"], "use_label": first["use_label"],
                    "candidates": [dict(zip(("light", "dark"), rows[pair]["cells"], strict=True)) if pair in rows
                                   else None for rows in by_pair]})
    return out


def _job_context(job: PaletteJob) -> dict:
    palettes = list(job.palettes.order_by("rank").prefetch_related("transitions")) if job.is_finished else []
    return {
        "job": job, "storefront": job.storefront,
        "preview_title": selectors.preview_course_title(job.storefront) if palettes else "",
        "candidates": [{"palette": p, "swatches": presentation.swatches(p), "contrast": presentation.contrast_rows(p),
                        "cvd": presentation.cvd_previews(p), "tones": presentation.tone_tables(p),
                        "review_note": presentation.review_note(p)} for p in palettes],
    }


def _own_palette(request, pk) -> Palette:
    return get_object_or_404(Palette.objects.select_related("storefront").filter(
        storefront__owner=request.user), pk=pk)


def _palette_action(request, pk, action, success: str):
    palette = _own_palette(request, pk)
    try:
        action(palette=palette, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect("themes:palette_studio", slug=palette.storefront.slug)


@creator_required
@require_POST
def palette_submit(request, pk):
    return _palette_action(request, pk, services.palette_submit, _("Submitted for review."))


@creator_required
@require_POST
def palette_activate(request, pk):
    return _palette_action(request, pk, services.palette_activate,
                           _("The palette is live. Covers are being re-rendered."))


@creator_required
@require_POST
def palette_retire(request, pk):
    return _palette_action(request, pk, services.palette_retire, _("The palette was retired."))


@creator_required
@require_GET
def cover_batch_progress(request, slug):
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    return render(request, "themes/_cover_batch.html", {"cover_batch": selectors.latest_cover_batch(storefront),
                                                         "storefront": storefront})


def _cover_preview_response(storefront, layout: str, **text) -> HttpResponse:
    """A layout-picker preview (rendered, never stored) of the given text in the storefront's active palette."""
    response = HttpResponse(cover_store.render_preview(storefront, layout, **text), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=60"
    return response


def preview_throttled(view):
    """At most COVER_PREVIEWS_PER_MINUTE server-rendered cover previews per user and minute (each costs ~35 ms of
    a web worker): over it, 429 with a clear message and Retry-After (issue 22, item 7)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        now = time.time()
        key = f"themes:cover-preview:{request.user.pk}:{int(now // 60)}"
        cache.add(key, 0, 120)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr: count this one
            count = 1
        if count > int(settings.COVER_PREVIEWS_PER_MINUTE):
            response = HttpResponse(_("Too many cover previews in a minute; wait a few seconds and try again."),
                                    status=429, content_type="text/plain; charset=utf-8")
            response["Retry-After"] = str(60 - int(now % 60))
            return response
        return view(request, *args, **kwargs)

    return wrapped


@creator_required
@require_GET
@preview_throttled
def cover_preview(request, pk):
    """The preview of a saved course in a layout: its saved title and subtitle (the picker without JavaScript)."""
    course = get_object_or_404(Course.objects.owned_by(request.user).select_related("storefront", "category"), pk=pk)
    layout = request.GET.get("layout", "")
    if layout not in COVER_LAYOUTS:
        raise Http404
    return _cover_preview_response(course.storefront, layout, **cover_store.cover_text(course))


@creator_required
@require_GET
@preview_throttled
def cover_live_preview(request, slug):
    """The layout picker's live preview: ``?layout=NAME&title=...&subtitle=...&category=<pk>&course=<pk>``.

    Title and subtitle as typed into the course form (a new course has no pk yet), checked and cleaned as that
    form does: too long → 400 with the form's message. An unknown layout, or a course outside this storefront,
    → 404. ``course`` supplies the saved course's id (geometric layouts derive their pattern from it) and its
    category unless ``category`` is given.
    """
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    form = CoverPreviewForm(request.GET)
    if not form.is_valid():
        if form.has_error("layout"):
            raise Http404
        errors = [f"{form.fields[name].label or name}: {message}"
                  for name, messages_ in form.errors.items() for message in messages_]
        return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    course = None
    if data["course"]:
        course = get_object_or_404(Course.objects.filter(storefront=storefront).select_related("category"),
                                   pk=data["course"])
    category = data["category"] or (course.category if course else None)
    return _cover_preview_response(storefront, data["layout"], title=data["title"], subtitle=data["subtitle"],
                                   category=str(category.name) if category else "",
                                   course_id=course.pk if course else 0)


# --- staff review ---------------------------------------------------------------------------------

@staff_required
@require_GET
def review_queue(request):
    palettes = list(selectors.review_queue())
    storefronts = {p.storefront_id: p.storefront for p in palettes}
    titles = {pk: selectors.preview_course_title(storefront) for pk, storefront in storefronts.items()}
    items = [{"palette": p, "swatches": presentation.swatches(p), "contrast": presentation.contrast_rows(p),
              "cvd": presentation.cvd_previews(p),
              "preview_title": titles[p.storefront_id],
              "refusal": services.review_refusal(p, request.user),
              "form": ReviewForm(auto_id=f"review-{p.pk}-%s")} for p in palettes]
    return render(request, "themes/review_queue.html", {"items": items, "form": ReviewForm()})


@staff_required
@require_POST
def review_decide(request, pk, decision):
    palette = get_object_or_404(Palette.objects.select_related("storefront"), pk=pk)
    form = ReviewForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    action = {"approve": services.palette_approve, "reject": services.palette_reject}.get(decision)
    if action is None:
        raise Http404
    try:
        action(palette=palette, actor=request.user, note=note)
    except PermissionDenied:
        raise
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Palette approved.") if decision == "approve" else _("Palette rejected."))
    return redirect("themes:review_queue")


# --- public pages and assets ----------------------------------------------------------------------

@require_GET
def style_guide(request, slug):
    storefront = get_object_or_404(Storefront, slug=slug)
    palette = selectors.active_palette(storefront)
    return render(request, "themes/style_guide.html", {
        "storefront": storefront, "palette": palette,
        "swatches": presentation.swatches(palette) if palette else [],
        "contrast": presentation.contrast_rows(palette) if palette else [],
        "matrix": presentation.contrast_matrix(palette) if palette else [],
        "cvd": presentation.cvd_previews(palette) if palette else [],
        "tones": presentation.tone_tables(palette) if palette else [],
        "preview_title": selectors.preview_course_title(storefront) if palette else "",
        "exporters": TOKEN_EXPORTERS.all(),
    })


@require_GET
def storefront_theme_css(request, slug):
    storefront = get_object_or_404(Storefront, slug=slug)
    palette = selectors.active_palette(storefront)
    if palette is None:
        raise Http404
    preset = selectors.theme_preset(storefront)
    body = theme_css(palette.colors, palette.dark, preset.role_map if preset else None)
    return _cached_text(request, body, "text/css; charset=utf-8", immutable="v" in request.GET)


@require_GET
def palette_preview_css(request):
    """Scoped preview classes for the palettes the visitor may see: any storefront's live (active) palette, which
    the public style guide shows to everyone, anonymous visitors included; a creator's own candidates; any
    palette for staff. Candidates and palettes awaiting review stay private to their owner and staff: when none
    of the requested ids may be shown the answer is 404, so an id reveals nothing."""
    try:
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i][:50]
    except ValueError:
        raise Http404 from None
    user = request.user
    palettes = Palette.objects.filter(pk__in=ids)
    if not user.is_staff:
        visible = Q(status=PaletteStatus.ACTIVE)
        if user.is_authenticated:
            visible |= Q(storefront__owner=user)
        palettes = palettes.filter(visible)
    rows = [(p.pk, p.colors, p.dark) for p in palettes.order_by("pk")]
    if not rows:
        raise Http404
    return _cached_text(request, preview_css(rows), "text/css; charset=utf-8")


@require_GET
def download_tokens(request, slug, exporter):
    storefront = get_object_or_404(Storefront, slug=slug)
    palette = selectors.active_palette(storefront)
    plugin = TOKEN_EXPORTERS.get(exporter)
    if palette is None or plugin is None:
        raise Http404
    light, dark = validated_roles(palette.colors), validated_roles(palette.dark)
    tokens = {"name": storefront.slug, "light": light, "dark": dark, "tones": presentation.validated_tones(palette),
              "derived": {"light": derived_colors(light), "dark": derived_colors(dark)}}
    response = HttpResponse(plugin.export(tokens), content_type=f"{plugin.media_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{storefront.slug}-{plugin.filename}"'
    return response


@require_GET
def course_cover(request, pk):
    course = Course.objects.select_related("storefront__owner", "category").filter(pk=pk).first()
    if course is None or not (course.published or course.storefront.owner_id == request.user.pk):
        raise Http404
    size = request.GET.get("size", "card")
    if size not in cover_store.SIZES:
        raise Http404
    return _cover_response(request, cover_store.cover_for(course, size))


def _cover_response(request, cover: cover_store.StoredCover) -> HttpResponse:
    """A stored cover, revalidated by its digest; immutable when the URL names this very digest (``?v=``)."""
    etag = quote_etag(cover.digest)
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(cover.read(), content_type=cover.content_type)
    response["ETag"] = etag
    fresh = request.GET.get("v") == cover.digest[:16]
    response["Cache-Control"] = "public, max-age=31536000, immutable" if fresh else "public, max-age=60"
    return response


# --- palette A/B tests (courseplatform.experiments) ---------------------------------------------------------

@require_GET
def palette_variant_asset(request, pk, asset):
    """``theme.css`` or ``cover.webp?course=&size=`` of a palette that is a variant of an experiment, so a
    visitor sees the storefront, course pages and covers in their variant's palette."""
    palette = experiment_palettes().filter(pk=pk).first()
    if palette is None:
        raise Http404
    if asset == "theme.css":
        storefront = Storefront.objects.get(pk=palette.storefront_id)
        preset = selectors.theme_preset(storefront)
        body = theme_css(palette.colors, palette.dark, preset.role_map if preset else None)
        return _cached_text(request, body, "text/css; charset=utf-8", immutable="v" in request.GET)
    if asset != "cover.webp":
        raise Http404
    size, raw = request.GET.get("size", "card"), request.GET.get("course", "")
    course = Course.objects.select_related("storefront", "category").filter(
        pk=int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0, storefront_id=palette.storefront_id, published=True).first()
    if course is None or size not in cover_store.SIZES:
        raise Http404
    return _cover_response(request, cover_store.cover_for(course, size, roles=dict(palette.colors)))
