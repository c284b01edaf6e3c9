"""Palette A/B tests: the theming plugin's arm kind for the core's experiments framework, and the feedback loop
that refits the palette brief's default weights when a palette experiment finishes.

An arm is a palette id (``Variant.arm``); the visitor's variant palette is applied by this plugin's own hooks
(``themes.selectors.visitor_palette``: stylesheet and covers).
"""

import logging
from collections import Counter, defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courseplatform.catalog.models import Course
from courseplatform.experiments.models import Experiment, ExperimentStatus
from courseplatform.experiments.selectors import analysed_counts
from courseplatform.hooks.signals import experiment_finished

from . import brief_feedback as feedback
from . import services
from .models import Palette, PaletteStatus, WeightDefaults, WeightScope
from .selectors import KIND

logger = logging.getLogger(__name__)

TESTABLE = (PaletteStatus.APPROVED, PaletteStatus.ACTIVE)
#: finished experiments a category needs before it gets its own defaults (else the global fit is used)
MIN_CATEGORY_EXPERIMENTS = 5


def _ids(refs: list[str]) -> list[int]:
    try:
        return [int(ref) for ref in refs]
    except (TypeError, ValueError):
        raise ValidationError(_("Choose palettes of this storefront."), code="foreign_palette") from None


def palette_label(palette: Palette) -> str:
    scores = palette.scores or {}
    return _("%(name)s (%(status)s; harmony %(h)s, legibility %(v)s, brand fit %(b)s)") % {
        "name": palette.display_name, "status": palette.get_status_display().lower(),
        "h": f"{scores.get('H', 0):.2f}", "v": f"{scores.get('V', 0):.2f}", "b": f"{scores.get('B', 0):.2f}"}


class PaletteArms:
    """Arm kind "palette": each variant shows the storefront in one approved or active palette."""

    slug = KIND
    label = gettext_lazy("Brand palette")

    def choices(self, storefront) -> list[tuple[str, str]]:
        palettes = sorted(Palette.objects.filter(storefront=storefront, status__in=TESTABLE),
                          key=lambda p: (p.status != PaletteStatus.ACTIVE, p.pk))  # the active one is the control
        return [(str(p.pk), palette_label(p)) for p in palettes]

    def check(self, storefront, refs: list[str]) -> None:
        ids = _ids(refs)
        palettes = {p.pk: p for p in Palette.objects.select_for_update().filter(pk__in=ids)}
        if len(palettes) != len(set(ids)) or any(p.storefront_id != storefront.pk for p in palettes.values()):
            raise ValidationError(_("Every palette must belong to this storefront."), code="foreign_palette")
        for palette in palettes.values():
            if palette.status not in TESTABLE:
                raise ValidationError(
                    _("%(name)s is %(status)s: only approved or active palettes can be tested.")
                    % {"name": palette.display_name, "status": palette.get_status_display().lower()},
                    code="unapproved_palette")

    def label_of(self, ref: str) -> str:
        return f"#{ref}"

    def describe(self, variants) -> dict[str, str]:
        statuses = dict(Palette.objects.filter(pk__in=_ids([v.arm for v in variants])).values_list("pk", "status"))
        out = {}
        for v in variants:
            pid = int(v.arm)
            swatches = format_html(
                '<span class="swatches">{}</span>',
                mark_safe("".join(f'<span class="swatch sw-{pid}-light-{role}"></span>'  # pid: an int
                                  for role in ("background", "primary", "secondary", "accent"))))
            status = PaletteStatus(statuses[pid]).label if pid in statuses else ""
            out[v.key] = format_html('{} #{} <span class="muted">{}</span>', swatches, pid, status)
        return out

    def stylesheet_urls(self, refs: list[str]) -> list[str]:
        return [reverse("themes:preview_css") + "?ids=" + ",".join(str(i) for i in _ids(refs))] if refs else []

    def promote(self, storefront, winner: str, others: list[str], actor) -> str:
        """Activate the winner, retire the other testable palettes (the review workflow: covers re-render, the
        audit trail records it)."""
        palette = Palette.objects.filter(pk=_ids([winner])[0], storefront=storefront).first()
        if palette is None or palette.status not in (*TESTABLE, PaletteStatus.RETIRED):
            raise ValidationError(_("The winning palette can no longer be activated."), code="unapproved_palette")
        services.palette_activate(palette=palette, actor=actor)
        for loser in Palette.objects.filter(pk__in=_ids(others), storefront=storefront, status__in=TESTABLE):
            services.palette_retire(palette=loser, actor=actor)
        return _("The winning palette is live, the others are retired. Covers are being re-rendered.")


ARMS = PaletteArms()


def experiment_palettes(storefront=None):
    """Palettes whose variant assets (``/palettes/<pk>/theme.css``, ``cover.webp``) may be served publicly: the
    approved or active arms of a RUNNING palette experiment, and active palettes (a page cached while the
    experiment ran may still name the winner). Drafts, stopped experiments' arms and proposals stay private."""
    arms = Experiment.objects.filter(kind=KIND, status=ExperimentStatus.RUNNING).values_list("variants__arm",
                                                                                             flat=True)
    ids = {int(a) for a in arms if a and a.isascii() and a.isdigit() and len(a) <= 18}
    palettes = Palette.objects.filter(
        Q(pk__in=ids, status__in=(PaletteStatus.APPROVED, PaletteStatus.ACTIVE)) | Q(status=PaletteStatus.ACTIVE))
    return palettes.filter(storefront=storefront) if storefront is not None else palettes


# --- the feedback loop ----------------------------------------------------------------------------------------

def _experiment_category(storefront_id: int, by_storefront: dict) -> int | None:
    counts = by_storefront.get(storefront_id)
    return counts.most_common(1)[0][0] if counts else None


def weights_refit() -> list[WeightDefaults]:
    """Refit the brief defaults from every finished palette experiment (see ``brief_feedback.py`` for the
    model): one global row, and one per category with at least MIN_CATEGORY_EXPERIMENTS finished experiments. An
    experiment's category is the one most of its storefront's published courses are in. Each experiment
    contributes the counts its verdict was computed from (``analysed_counts``: frozen at the fixed horizon,
    server-side enrolments only)."""
    finished = list(Experiment.objects.filter(status=ExperimentStatus.FINISHED, kind=KIND).prefetch_related("variants"))
    scores_of = dict(Palette.objects.filter(pk__in={int(v.arm) for e in finished for v in e.variants.all()
                                                    if v.arm.isascii() and v.arm.isdigit()}).values_list("pk", "scores"))
    by_storefront: dict[int, Counter] = defaultdict(Counter)
    for sid, cid in Course.objects.published().filter(
            storefront_id__in={e.storefront_id for e in finished}).values_list("storefront_id", "category_id"):
        by_storefront[sid][cid] += 1
    outcomes, by_category = [], defaultdict(list)
    for experiment in finished:
        counts, _horizon = analysed_counts(experiment)  # the data the verdict was made on
        variants = []
        for v in experiment.variants.all():
            scores = (scores_of.get(int(v.arm)) if v.arm.isascii() and v.arm.isdigit() else None) or {}
            c = counts.get(v.key)
            if c and all(isinstance(scores.get(k), int | float) for k in ("H", "V", "B")):
                variants.append(feedback.VariantOutcome(float(scores["H"]), float(scores["V"]), float(scores["B"]),
                                                        c["visitors"], c["enrollers"]))
        if len(variants) >= 2:
            outcomes.append(variants)
            by_category[_experiment_category(experiment.storefront_id, by_storefront)].append(variants)
    now, rows = timezone.now(), []
    with transaction.atomic():
        if outcomes:
            fit = feedback.fit_weights(outcomes)
            rows.append(WeightDefaults.objects.update_or_create(
                scope=WeightScope.GLOBAL, category=None,
                defaults={"alpha": fit.alpha, "beta": fit.beta, "gamma": fit.gamma,
                          "n_experiments": fit.n_experiments, "fitted_at": now})[0])
        for category_id, items in by_category.items():
            if category_id is None or len(items) < MIN_CATEGORY_EXPERIMENTS:
                continue
            fit = feedback.fit_weights(items)
            rows.append(WeightDefaults.objects.update_or_create(
                scope=WeightScope.CATEGORY, category_id=category_id,
                defaults={"alpha": fit.alpha, "beta": fit.beta, "gamma": fit.gamma,
                          "n_experiments": fit.n_experiments, "fitted_at": now})[0])
    return rows


@receiver(experiment_finished, dispatch_uid="themes.refit_brief_defaults")
def refit_on_finish(sender, experiment, **kwargs) -> None:
    if experiment.kind != KIND:
        return
    try:
        weights_refit()
    except Exception:  # the defaults are a nicety; finishing an experiment must not fail because of them
        logger.exception("could not refit the palette brief defaults")
