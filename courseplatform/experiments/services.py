"""Writes for experiments: create, start, stop, finish, promote; exposure logging.

What an arm is belongs to its plugin (an arm kind from the ``experiment_arm_kinds`` hook): this module asks the
kind to check arms on create and start, and to promote the winner. When an experiment finishes, the
``experiment_finished`` signal lets plugins refit what depends on its data (the theming plugin: brief defaults).
"""

import logging
import math

from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog.permissions import ensure_can_manage
from courseplatform.events import services as events
from courseplatform.hooks.signals import experiment_finished, send_on_commit
from courseplatform.privacy.consent import tracking_allowed

from . import stats
from .models import Experiment, ExperimentStatus, Metric, Variant
from .selectors import arm_kind, experiment_context, invalidate_running, running_experiment

logger = logging.getLogger(__name__)

S = ExperimentStatus
MAX_VARIANTS = 26


class InvalidExperiment(ValidationError):
    pass


def _kind(slug: str):
    kind = arm_kind(slug)
    if kind is None:
        raise InvalidExperiment(_("This kind of test is not available."), code="unknown_kind")
    return kind


def check_shares(shares: list[float]) -> None:
    """Traffic shares must be positive and add up to 1 (also used by ``forms.ExperimentForm``)."""
    if any(s <= 0 or s > 1 for s in shares) or not math.isclose(sum(shares), 1.0, abs_tol=1e-6):
        raise InvalidExperiment(_("Traffic shares must be positive and add up to 100 %."), code="shares")


def planned_sample(baseline: float, mde: float, n_variants: int) -> int:
    return stats.sample_size_per_variant(baseline, mde, alpha=stats.comparison_alpha(n_variants))


@transaction.atomic
def experiment_create(*, storefront, actor, name: str, kind: str, arms: list[str], shares: list[float] | None = None,
                      primary_metric: str = Metric.ENROLL, baseline_rate: float = 0.05,
                      minimum_detectable_effect: float = 0.02) -> Experiment:
    """A draft experiment of arm kind ``kind`` with variants A, B, … showing ``arms`` in that order (A is the
    control); the kind checks that every arm can be tested on this storefront."""
    ensure_can_manage(actor, storefront)
    arm_kind_ = _kind(kind)
    arms = [str(arm) for arm in arms]
    if len(arms) < 2 or len(set(arms)) != len(arms):
        raise InvalidExperiment(_("Choose at least two different variants."), code="too_few_variants")
    if len(arms) > MAX_VARIANTS:
        raise InvalidExperiment(_("At most 26 variants."), code="too_many_variants")
    arm_kind_.check(storefront, arms)
    shares = list(shares) if shares else [1.0 / len(arms)] * len(arms)
    if len(shares) != len(arms):
        raise InvalidExperiment(_("Give one traffic share per variant."), code="shares")
    check_shares(shares)
    try:
        planned = planned_sample(baseline_rate, minimum_detectable_effect, len(arms))
    except ValueError as error:
        raise InvalidExperiment(_("The baseline rate and the smallest lift worth detecting must lie between 0 "
                                  "and 100 %, and add up to less than 100 %."), code="design") from error
    experiment = Experiment.objects.create(
        storefront=storefront, name=name, kind=kind, primary_metric=primary_metric, baseline_rate=baseline_rate,
        minimum_detectable_effect=minimum_detectable_effect, min_sample_per_variant=planned,
        created_by=actor if actor.is_authenticated else None)
    Variant.objects.bulk_create([Variant(experiment=experiment, key=chr(ord("A") + i), arm=arm, share=share)
                                 for i, (arm, share) in enumerate(zip(arms, shares, strict=True))])
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
    """Start (or resume) an experiment, after the guard rails: ≥ 2 variants, shares adding up to 1, arms its kind
    still accepts (checked in this transaction), and no other running experiment on the storefront."""
    original, experiment = experiment, _locked(experiment)
    ensure_can_manage(actor, experiment.storefront)
    if experiment.status == S.RUNNING:
        return experiment
    if experiment.status not in (S.DRAFT, S.STOPPED):
        raise InvalidExperiment(_("A finished experiment cannot be started again."), code="finished")
    variants = list(experiment.variants.all())
    if len(variants) < 2:
        raise InvalidExperiment(_("An experiment needs at least two variants."), code="too_few_variants")
    check_shares([v.share for v in variants])
    _kind(experiment.kind).check(experiment.storefront, [v.arm for v in variants])
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
    ensure_can_manage(actor, experiment.storefront)
    if experiment.status != S.RUNNING:
        return experiment
    experiment.status, experiment.stopped_at = S.STOPPED, timezone.now()
    return _changed(experiment, original, ["status", "stopped_at"])


@transaction.atomic
def experiment_finish(*, experiment: Experiment, actor, winner: str = "") -> Experiment:
    """Close the experiment for good; its arms are left as they are. Sends ``experiment_finished`` on commit."""
    original, experiment = experiment, _locked(experiment)
    ensure_can_manage(actor, experiment.storefront)
    if experiment.status == S.FINISHED:
        return experiment
    experiment.status, experiment.winner = S.FINISHED, winner
    experiment.stopped_at = experiment.stopped_at or timezone.now()
    _changed(experiment, original, ["status", "winner", "stopped_at"])
    send_on_commit(experiment_finished, Experiment, experiment=experiment)
    return experiment


@transaction.atomic
def experiment_promote(*, experiment: Experiment, actor, variant_key: str) -> str:
    """One click: the arm kind makes the winner the storefront's default and retires the other arms (through its
    plugin's own services), then the experiment finishes. Returns the kind's message for the creator."""
    ensure_can_manage(actor, experiment.storefront)
    variants = {v.key: v for v in experiment.variants.all()}
    if variant_key not in variants:
        raise InvalidExperiment(_("There is no variant %(key)s.") % {"key": variant_key}, code="no_variant")
    if experiment.status == S.DRAFT:
        raise InvalidExperiment(_("A draft experiment has no results to promote."), code="draft")
    kind = _kind(experiment.kind)
    others = [v.arm for key, v in sorted(variants.items()) if key != variant_key]
    message = kind.promote(experiment.storefront, variants[variant_key].arm, others, actor)
    experiment_finish(experiment=experiment, actor=actor, winner=variant_key)
    return message


# --- exposure and outcome tagging ---------------------------------------------------------------------------

def visitor_start(request, storefront) -> bool:
    """Start an anonymous visitor's session when ``storefront`` runs an experiment and the visitor allows
    tracking, so their assignment sticks (without consent they see the storefront's default: nothing about them
    would be counted). Returns whether a session was started by this request. A write: views call it (through
    :func:`exposure_log`) before the page renders, never a template."""
    user, session = getattr(request, "user", None), getattr(request, "session", None)
    if (session is None or session.session_key or (user is not None and user.is_authenticated)
            or running_experiment(storefront) is None or not tracking_allowed(request)):
        return False
    session["experiments_visitor"] = True  # marks the session modified, so the middleware sends the cookie
    session.save()
    request.__dict__.get("_experiment_contexts", {}).pop(storefront.pk, None)  # looked up without a session
    request.__dict__["_experiment_new_visitor"] = True
    return True


def exposure_log(request, storefront, course_ids: list[int], surface: str) -> int:
    """Log that this visitor saw ``course_ids`` on ``storefront`` in their variant (one impression per course,
    with positions; on a course page also a ``view``, the click-through). Views call it before rendering: it
    starts an anonymous visitor's session, so the page and its covers show the variant logged here. Once per
    page view and surface; returns rows written; a logging failure never breaks the page. (Enrolments are
    tagged when they are logged: :func:`~courseplatform.experiments.selectors.event_tags`.)"""
    visitor_start(request, storefront)
    context = experiment_context(request, storefront)
    if context is None or not course_ids or not tracking_allowed(request):  # exposures need consent
        return 0
    if request.__dict__.get("_experiment_new_visitor"):
        # Humanity bar: a visitor is counted from the first page view that brings back the session cookie set
        # here; a client that never keeps cookies (a script fetching pages) is never a visitor.
        return 0
    if getattr(request.user, "pk", None) == storefront.owner_id:
        return 0  # the owner previewing their storefront is not a visitor
    done = request.__dict__.setdefault("_experiment_exposures", set())
    if (storefront.pk, surface) in done:
        return 0
    done.add((storefront.pk, surface))
    key = context["visitor"]
    user_id = int(key[2:]) if key.startswith("u:") else None
    try:
        return events.impressions_log(user_id=user_id, session_key="" if user_id else key[2:],
                                      course_ids=course_ids, surface=surface, tags=context["tags"],
                                      view=surface == "course_page")
    except DatabaseError:
        logger.warning("could not log experiment exposure", exc_info=True)
        return 0
