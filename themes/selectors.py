"""Reads for theming: active and variant palettes, presets, stylesheet URLs, review queue."""

import hashlib

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from courseplatform.experiments.selectors import visitor_arm

from .brief_feedback import DEFAULTS as ENGINE_DEFAULT_WEIGHTS
from .models import CoverBatch, LogoColours, Palette, PaletteJob, PaletteStatus, WeightDefaults, WeightScope
from .plugins import THEME_PRESETS

#: the arm kind of palette A/B tests (``Experiment.kind``)
KIND = "palette"

_MISSING = object()


def active_palette(storefront) -> Palette | None:
    """The storefront's active palette, memoised on the instance and cached across requests."""
    cached = getattr(storefront, "_active_palette", _MISSING)
    if cached is not _MISSING:
        return cached
    key = f"themes:active:{storefront.pk}"
    palette_id = cache.get(key)
    palette = None
    if palette_id != 0:
        palette = Palette.objects.filter(storefront_id=storefront.pk, status=PaletteStatus.ACTIVE).first()
        cache.set(key, palette.pk if palette else 0, 300)
    storefront._active_palette = palette
    return palette


def invalidate_active_palette(storefront_id: int) -> None:
    cache.delete(f"themes:active:{storefront_id}")


def active_palette_roles(storefront) -> dict[str, str] | None:
    palette = active_palette(storefront)
    return dict(palette.colors) if palette else None


def palette_version(palette: Palette) -> str:
    raw = repr((palette.pk, sorted(palette.colors.items()), sorted(palette.dark.items())))
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def visitor_palette(request, storefront) -> Palette | None:
    """The palette this visitor sees on ``storefront`` because a palette A/B test runs there (their variant's),
    or None (see ``experiments.selectors.visitor_arm``)."""
    if request is None:
        return None
    arm = visitor_arm(request, storefront, KIND)
    if arm is None or not (arm.isascii() and arm.isdigit()):
        return None
    memo = request.__dict__.setdefault("_variant_palettes", {})
    if arm not in memo:
        memo[arm] = Palette.objects.filter(pk=int(arm), storefront_id=storefront.pk).first()
    return memo[arm]


def theme_stylesheet_url(storefront, request=None) -> str:
    """The storefront's theme stylesheet: the visitor's experiment variant palette when ``request`` is given
    and an A/B test runs on the storefront (issue 8), else the active palette's ("" when there is none)."""
    variant = visitor_palette(request, storefront)
    if variant is not None:
        return (reverse("themes:palette_variant_asset", args=[variant.pk, "theme.css"])
                + f"?v={palette_version(variant)}")
    palette = active_palette(storefront)
    if palette is None:
        return ""
    return reverse("themes:theme_css", args=[storefront.slug]) + f"?v={palette_version(palette)}"


def theme_preset(storefront):
    return THEME_PRESETS.get(storefront.theme_preset) or THEME_PRESETS.get("classic")


def jobs_for_storefront(storefront):
    return PaletteJob.objects.filter(storefront=storefront).order_by("-created_at")


def palettes_for_storefront(storefront):
    return Palette.objects.filter(storefront=storefront).exclude(status=PaletteStatus.PROPOSED).order_by(
        "-updated_at")


def review_queue():
    return (Palette.objects.filter(status=PaletteStatus.SUBMITTED)
            .select_related("storefront__owner", "job").order_by("updated_at"))


def latest_cover_batch(storefront) -> CoverBatch | None:
    return CoverBatch.objects.filter(storefront=storefront).order_by("-created_at").first()


def preview_course_title(storefront) -> str:
    """A real course title for the palette previews (the newest published course), or "" when there is none."""
    return (storefront.courses.filter(published=True).order_by("-created_at", "-id")
            .values_list("title", flat=True).first() or "")


def candidate_palette(storefront, palette_id) -> Palette | None:
    """A palette of this storefront (any status), or ``None`` (the page builder's preview in a candidate)."""
    try:
        return Palette.objects.filter(storefront=storefront, pk=int(palette_id)).first()
    except (TypeError, ValueError):
        return None


def preview_palettes(storefront):
    return Palette.objects.filter(storefront=storefront).order_by("-updated_at")[:30]


# --- the brief's default weights (fitted from finished palette A/B tests) -----------------------------------

def default_weights(category_slug: str | None = None) -> tuple[float, float, float, str]:
    """(α, β, γ, where they came from) for a new palette brief: the category's fit when there is one, else
    the global fit, else the engine's defaults 1, 1, 1."""
    rows = WeightDefaults.objects.select_related("category")
    row = None
    if category_slug:
        row = rows.filter(scope=WeightScope.CATEGORY, category__slug=category_slug).first()
    if row is None:
        row = rows.filter(scope=WeightScope.GLOBAL).first()
    if row is None:
        return (*ENGINE_DEFAULT_WEIGHTS,
                _("The engine's defaults (1, 1, 1): no finished A/B test has been analysed yet."))
    where = (_("in the category %(category)s") % {"category": row.category} if row.category_id
             else _("across all categories"))
    return row.alpha, row.beta, row.gamma, _(
        "Fitted on %(n)s finished palette A/B tests %(where)s (%(date)s): how well harmony, legibility and "
        "brand fit predicted enrolments, shrunk toward the engine's defaults 1, 1, 1 so that a few tests move "
        "them only a little.") % {"n": row.n_experiments, "where": where,
                                  "date": formats.date_format(row.fitted_at, "DATE_FORMAT")}


def storefront_category_slug(storefront) -> str | None:
    """The category most of the storefront's published courses are in (None without courses)."""
    row = (storefront.courses.filter(published=True).values("category__slug").annotate(n=Count("id"))
           .order_by("-n", "category__slug").first())
    return row["category__slug"] if row else None


def logo_colours_for(storefront) -> LogoColours | None:
    """The colour suggestions of the storefront's current logo (None without a logo or before any request)."""
    if not (storefront.logo and storefront.logo.name):
        return None
    return LogoColours.objects.filter(storefront=storefront, logo_name=storefront.logo.name).first()


def accepted_logo_colours(storefront, raw: str) -> list[str] | None:
    """The suggested hexes of the storefront's finished logo-colour row ``raw`` (the studio's ``?logo=<id>``,
    "Use these colours"); None when ``raw`` names no such row."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12):
        return None
    row = LogoColours.objects.filter(pk=int(raw), storefront=storefront, status="succeeded").first()
    return [c["hex"] for c in row.colours] if row and row.colours else None
