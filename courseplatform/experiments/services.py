"""Writes for experiments: create, start, stop, finish, promote; exposure logging; the feedback refit."""

import logging
import math
from collections import Counter, defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from themes.models import Palette, PaletteStatus

from . import feedback, stats
from .models import Experiment, ExperimentStatus, Metric, Variant, WeightDefaults, WeightScope
from .selectors import experiment_context, invalidate_running

logger = logging.getLogger(__name__)

S = ExperimentStatus
TESTABLE = (PaletteStatus.APPROVED, PaletteStatus.ACTIVE)
#: finished experiments a category needs before it gets its own defaults (else the global fit is used)
MIN_CATEGORY_EXPERIMENTS = 5


class InvalidExperiment(ValidationError):
    pass


def _ensure_manager(storefront, actor) -> None:
    if not (actor.is_staff or storefront.owner_id == actor.pk):
        raise PermissionDenied(_("Only the storefront's owner or staff can manage its experiments."))


def _ensure_testable(palettes) -> None:
    for palette in palettes:
        if palette.status not in TESTABLE:
            raise InvalidExperiment(
                _("Palette %(id)s is %(status)s: only approved or active palettes can be tested.")
                % {"id": palette.pk, "status": palette.get_status_display().lower()}, code="unapproved_palette")


def check_shares(shares: list[float]) -> None:
    """Traffic shares must be positive and add up to 1 (also used by ``forms.ExperimentForm``)."""
    if any(s <= 0 or s > 1 for s in shares) or not math.isclose(sum(shares), 1.0, abs_tol=1e-6):
        raise InvalidExperiment(_("Traffic shares must be positive and add up to 100 %."), code="shares")


def planned_sample(baseline: float, mde: float, n_variants: int) -> int:
    return stats.sample_size_per_variant(baseline, mde, alpha=stats.comparison_alpha(n_variants))


@transaction.atomic
def experiment_create(*, storefront, actor, name: str, palettes: list[Palette], shares: list[float] | None = None,
                      primary_metric: str = Metric.ENROLL, baseline_rate: float = 0.05,
                      minimum_detectable_effect: float = 0.02) -> Experiment:
    """A draft experiment with variants A, B, … in the order of ``palettes`` (A is the control)."""
    _ensure_manager(storefront, actor)
    palettes = list(palettes)
    if len(palettes) < 2 or len({p.pk for p in palettes}) != len(palettes):
        raise InvalidExperiment(_("Choose at least two different palettes."), code="too_few_variants")
    if len(palettes) > 26:
        raise InvalidExperiment(_("At most 26 variants."), code="too_many_variants")
    if any(p.storefront_id != storefront.pk for p in palettes):
        raise InvalidExperiment(_("Every palette must belong to this storefront."), code="foreign_palette")
    _ensure_testable(palettes)
    shares = list(shares) if shares else [1.0 / len(palettes)] * len(palettes)
    if len(shares) != len(palettes):
        raise InvalidExperiment(_("Give one traffic share per palette."), code="shares")
    check_shares(shares)
    try:
        planned = planned_sample(baseline_rate, minimum_detectable_effect, len(palettes))
    except ValueError as error:
        raise InvalidExperiment(_("The baseline rate and the smallest lift worth detecting must lie between 0 "
                                  "and 100 %, and add up to less than 100 %."), code="design") from error
    experiment = Experiment.objects.create(
        storefront=storefront, name=name, primary_metric=primary_metric, baseline_rate=baseline_rate,
        minimum_detectable_effect=minimum_detectable_effect, min_sample_per_variant=planned,
        created_by=actor if actor.is_authenticated else None)
    Variant.objects.bulk_create([Variant(experiment=experiment, key=chr(ord("A") + i), palette=p, share=s)
                                 for i, (p, s) in enumerate(zip(palettes, shares, strict=True))])
    return experiment


def _locked(experiment: Experiment) -> Experiment:
    return Experiment.objects.select_for_update().select_related("storefront").get(pk=experiment.pk)


def _changed(experiment: Experiment, original: Experiment, fields: list[str]) -> Experiment:
    experiment.save(update_fields=fields)
    for name in fields:
        setattr(original, name, getattr(experiment, name))
    sid = experiment.storefront_id
    transaction.on_commit(lambda: invalidate_running(sid))
    invalidate_running(sid)
    return experiment


@transaction.atomic
def experiment_start(*, experiment: Experiment, actor) -> Experiment:
    """Start (or resume) an experiment, after the guard rails: ≥ 2 variants, shares adding up to 1, only
    approved or active palettes of this storefront, and no other running experiment on the storefront."""
    original, experiment = experiment, _locked(experiment)
    _ensure_manager(experiment.storefront, actor)
    if experiment.status == S.RUNNING:
        return experiment
    if experiment.status not in (S.DRAFT, S.STOPPED):
        raise InvalidExperiment(_("A finished experiment cannot be started again."), code="finished")
    variants = list(experiment.variants.select_related("palette"))
    if len(variants) < 2:
        raise InvalidExperiment(_("An experiment needs at least two variants."), code="too_few_variants")
    check_shares([v.share for v in variants])
    palettes = list(Palette.objects.select_for_update().filter(pk__in=[v.palette_id for v in variants]))
    if any(p.storefront_id != experiment.storefront_id for p in palettes):
        raise InvalidExperiment(_("Every palette must belong to this storefront."), code="foreign_palette")
    _ensure_testable(palettes)
    others = Experiment.objects.filter(storefront_id=experiment.storefront_id, status=S.RUNNING)
    if others.exclude(pk=experiment.pk).exists():
        raise InvalidExperiment(_("Another experiment is already running on this storefront; stop it first."),
                                code="already_running")
    experiment.status = S.RUNNING
    experiment.started_at = experiment.started_at or timezone.now()
    experiment.stopped_at = None
    try:
        with transaction.atomic():
            return _changed(experiment, original, ["status", "started_at", "stopped_at"])
    except IntegrityError as error:  # a concurrent start won the partial unique constraint
        raise InvalidExperiment(_("Another experiment is already running on this storefront; stop it first."),
                                code="already_running") from error


@transaction.atomic
def experiment_stop(*, experiment: Experiment, actor) -> Experiment:
    """Stop showing variants; every logged interaction stays (it can be resumed or finished later)."""
    original, experiment = experiment, _locked(experiment)
    _ensure_manager(experiment.storefront, actor)
    if experiment.status != S.RUNNING:
        return experiment
    experiment.status, experiment.stopped_at = S.STOPPED, timezone.now()
    return _changed(experiment, original, ["status", "stopped_at"])


@transaction.atomic
def experiment_finish(*, experiment: Experiment, actor, winner: str = "") -> Experiment:
    """Close the experiment for good (its data feed the brief defaults); the palettes are left as they are."""
    original, experiment = experiment, _locked(experiment)
    _ensure_manager(experiment.storefront, actor)
    if experiment.status == S.FINISHED:
        return experiment
    experiment.status, experiment.winner = S.FINISHED, winner
    experiment.stopped_at = experiment.stopped_at or timezone.now()
    _changed(experiment, original, ["status", "winner", "stopped_at"])
    transaction.on_commit(_refit_quietly)
    return experiment


@transaction.atomic
def experiment_promote(*, experiment: Experiment, actor, variant_key: str) -> Experiment:
    """One click: finish the experiment, activate the winner's palette and retire the other palettes
    (through ``themes.services``' review workflow, so covers re-render and the audit trail records it)."""
    from themes.services import palette_activate, palette_retire

    _ensure_manager(experiment.storefront, actor)
    variants = {v.key: v for v in experiment.variants.select_related("palette")}
    if variant_key not in variants:
        raise InvalidExperiment(_("There is no variant %(key)s.") % {"key": variant_key}, code="no_variant")
    if experiment.status == S.DRAFT:
        raise InvalidExperiment(_("A draft experiment has no results to promote."), code="draft")
    winner = variants[variant_key].palette
    winner.refresh_from_db()
    if winner.status not in (PaletteStatus.APPROVED, PaletteStatus.ACTIVE, PaletteStatus.RETIRED):
        raise InvalidExperiment(_("The winning palette can no longer be activated."), code="unapproved_palette")
    palette_activate(palette=winner, actor=actor)
    for key, variant in variants.items():
        if key == variant_key:
            continue
        loser = Palette.objects.get(pk=variant.palette_id)
        if loser.status in TESTABLE:
            palette_retire(palette=loser, actor=actor)
    return experiment_finish(experiment=experiment, actor=actor, winner=variant_key)


# --- exposure and outcome tagging ---------------------------------------------------------------------------

def exposure_log(request, storefront, course_ids: list[int], surface: str) -> int:
    """Log that this visitor saw ``course_ids`` on ``storefront`` in their variant's palette (one impression per
    course, with positions; on a course page also a ``view``, the click-through). Returns rows written; a
    logging failure never breaks the page."""
    from recommender.models import EventType, Interaction

    context = experiment_context(request, storefront, create=True)
    if context is None or not course_ids:
        return 0
    if getattr(request.user, "pk", None) == storefront.owner_id:
        return 0  # the owner previewing their storefront is not a visitor
    done = request.__dict__.setdefault("_experiment_exposures", set())
    if (storefront.pk, surface) in done:
        return 0  # once per page view, even when a template includes the tag twice
    done.add((storefront.pk, surface))
    key, now = context["visitor"], timezone.now()
    user_id = int(key[2:]) if key.startswith("u:") else None
    session_key = "" if user_id else key[2:]
    common = dict(user_id=user_id, session_key=session_key, ts=now, surface=surface[:32], **context["tags"])
    rows = [Interaction(course_id=cid, type=EventType.IMPRESSION, position=i, **common)
            for i, cid in enumerate(course_ids, start=1)]
    if surface == "course_page":
        rows.append(Interaction(course_id=course_ids[0], type=EventType.VIEW, **common))
    try:
        Interaction.objects.bulk_create(rows)
    except DatabaseError:
        logger.warning("could not log experiment exposure", exc_info=True)
        return 0
    return len(rows)


def enrolment_tag(*, request, course) -> bool:
    """Tag the enrolment just logged for ``request.user`` on ``course`` with the visitor's experiment and
    variant (call right after a successful ``catalog.services.enroll``). Returns whether a row was tagged."""
    from recommender.models import EventType, Interaction

    context = experiment_context(request, course.storefront)
    if context is None or not request.user.is_authenticated:
        return False
    row = (Interaction.objects.filter(user=request.user, course=course, type=EventType.ENROLL, experiment="")
           .order_by("-ts", "-id").values_list("pk", flat=True).first())
    if row is None:
        return False
    return bool(Interaction.objects.filter(pk=row).update(**context["tags"]))


# --- the feedback loop ----------------------------------------------------------------------------------------

def _experiment_category(storefront_id: int, by_storefront: dict) -> int | None:
    counts = by_storefront.get(storefront_id)
    return counts.most_common(1)[0][0] if counts else None


def weights_refit() -> list[WeightDefaults]:
    """Refit the brief defaults from every finished experiment (see ``feedback.py`` for the model): one global
    row, and one per category with at least MIN_CATEGORY_EXPERIMENTS finished experiments. An experiment's
    category is the one most of its storefront's published courses are in. Each experiment contributes the
    counts its verdict was computed from (``selectors.analysed_counts``: frozen at the fixed horizon, server-side
    enrolments only)."""
    from courseplatform.catalog.models import Course

    from .selectors import analysed_counts

    finished = list(Experiment.objects.filter(status=S.FINISHED).prefetch_related("variants__palette"))
    by_storefront: dict[int, Counter] = defaultdict(Counter)
    for sid, cid in Course.objects.published().filter(
            storefront_id__in={e.storefront_id for e in finished}).values_list("storefront_id", "category_id"):
        by_storefront[sid][cid] += 1
    outcomes, by_category = [], defaultdict(list)
    for experiment in finished:
        counts, _horizon = analysed_counts(experiment)  # the data the verdict was made on
        variants = []
        for v in experiment.variants.all():
            scores, c = v.palette.scores or {}, counts.get(v.key)
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


def _refit_quietly() -> None:
    try:
        weights_refit()
    except Exception:  # the defaults are a nicety; finishing an experiment must not fail because of them
        logger.exception("could not refit the palette brief defaults")
