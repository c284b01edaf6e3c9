"""Nudges: a reminder to learners who stalled in a course, tested as an experiment (reminder vs none) rather than
assumed to help.

A learner has *stalled* in a course when they are enrolled, the course is not completed and they completed no
lesson of it for ``NUDGE_STALL_DAYS`` days (counted from the enrolment when they completed none). On a storefront
running an experiment of the arm kind ``nudges`` (started like any other experiment, from the framework's pages),
each stalled learner is entered once per stall (:class:`~.models.NudgeExposure`) in the variant the framework's
assignment gives ``u:<learner id>``; only the "reminder" arm is notified (kind ``nudge_reminder``, which the
learner can switch off like any kind). The outcome, *resumed progress*, is a lesson of that course completed
within the experiment's attribution window after the exposure, read from the server's own ``LessonProgress``;
the framework's statistics decide (:meth:`NudgeArms.units`)."""

from collections import defaultdict
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from courseplatform.catalog.models import Enrollment
from courseplatform.experiments.models import Experiment, ExperimentStatus
from courseplatform.experiments.selectors import variant_for
from courseplatform.learning.models import LessonProgress
from courseplatform.notifications import kinds
from courseplatform.notifications.services import notify

from .models import NudgeExposure

KIND = "nudges"
NOTIFICATION_KIND = "nudge_reminder"
NONE, REMINDER = "none", "reminder"
LABELS = {NONE: gettext_lazy("No reminder"), REMINDER: gettext_lazy("Reminder to continue")}
DEFAULT_STALL_DAYS = 7


def stall_days() -> int:
    """Days without a completed lesson after which an enrolled learner counts as stalled (``NUDGE_STALL_DAYS``)."""
    return int(getattr(settings, "NUDGE_STALL_DAYS", DEFAULT_STALL_DAYS))


def _describe(p: dict) -> str:
    return gettext("You have not continued “%(course)s” for a while. Pick up where you left off?") % p


kinds.register(kinds.Kind(NOTIFICATION_KIND, gettext_lazy("Reminders to continue a course"), _describe))


# --- reads --------------------------------------------------------------------------------------------------

def stalled_enrolments(now: datetime | None = None, *, storefront_ids=None):
    """Enrolments (with ``last_progress`` annotated) of active learners who stalled: course not completed, no
    lesson of it completed for :func:`stall_days` days, counted from the enrolment when none was (a read)."""
    now = now or timezone.now()
    latest = (LessonProgress.objects.filter(learner_id=OuterRef("learner_id"),
                                            lesson__section__course_id=OuterRef("course_id"),
                                            completed_at__isnull=False)
              .values("learner_id").annotate(last=Max("completed_at")).values("last"))
    rows = (Enrollment.objects.filter(completed_at__isnull=True, learner__is_active=True)
            .annotate(last_lesson=Subquery(latest)).select_related("learner", "course"))
    if storefront_ids is not None:
        rows = rows.filter(course__storefront_id__in=list(storefront_ids))
    cutoff = now - timedelta(days=stall_days())
    rows = rows.filter(Q(last_lesson__lte=cutoff) | Q(last_lesson__isnull=True, created_at__lte=cutoff))
    for enrolment in rows.iterator():
        enrolment.last_progress = enrolment.last_lesson or enrolment.created_at
        yield enrolment


def running_nudge_experiments() -> dict[int, Experiment]:
    """The running ``nudges`` experiments, by storefront id (a read)."""
    return {e.storefront_id: e for e in Experiment.objects.filter(status=ExperimentStatus.RUNNING, kind=KIND)
            .prefetch_related("variants")}


# --- the write ------------------------------------------------------------------------------------------------

def nudges_send(now: datetime | None = None) -> int:
    """Enter every newly stalled learner of a storefront running a nudges experiment, once per stall, and remind
    those the assignment puts in the "reminder" arm. Returns how many exposures this run created. Safe to run
    twice or concurrently: the ``one_nudge_per_stall`` constraint lets one run create the row, and ``notify`` is
    keyed by the same stall."""
    now = now or timezone.now()
    experiments = running_nudge_experiments()
    if not experiments:
        return 0
    created = 0
    for enrolment in stalled_enrolments(now, storefront_ids=experiments):
        experiment = experiments[enrolment.course.storefront_id]
        variant = variant_for(experiment, f"u:{enrolment.learner_id}")
        created += _expose(experiment, variant, enrolment, now)
    return created


def _expose(experiment: Experiment, variant, enrolment, now: datetime) -> bool:
    course, learner = enrolment.course, enrolment.learner
    try:
        with transaction.atomic():
            exposure = NudgeExposure.objects.create(
                experiment=experiment, learner=learner, course=course, stalled_since=enrolment.last_progress,
                variant=variant.key, arm=variant.arm, exposed_at=now)
            if variant.arm == REMINDER:
                # an unsubscribed learner gets nothing (notify returns None) but stays exposed in their arm
                notification = notify(learner, NOTIFICATION_KIND,
                                      key=f"nudge:{course.pk}:{int(enrolment.last_progress.timestamp())}",
                                      params={"course": course.title},
                                      url=course.get_absolute_url())
                if notification is not None:
                    exposure.notified = True
                    exposure.save(update_fields=["notified"])
    except IntegrityError:  # another run entered this stall first
        return False
    return True


# --- the arm kind ---------------------------------------------------------------------------------------------

class NudgeArms:
    """Arm kind ``nudges`` of the experiments framework (contract in ``courseplatform/experiments/hookspecs.py``).
    Its units are stalled learners, not storefront visitors: :meth:`units` gives the framework the cohort and
    the outcome it analyses with its own fixed horizon and statistics."""

    slug = KIND
    label = gettext_lazy("Reminders to learners who stalled (reminder or none)")
    outcome_label = gettext_lazy("Resumed progress")

    def choices(self, storefront) -> list[tuple[str, str]]:
        return [(NONE, str(LABELS[NONE])), (REMINDER, str(LABELS[REMINDER]))]

    def check(self, storefront, refs: list[str]) -> None:
        if not set(refs) <= {NONE, REMINDER}:
            raise ValidationError(gettext("Choose “no reminder” or “reminder” for each variant."),
                                  code="unknown_arm")

    def label_of(self, ref: str) -> str:
        return str(LABELS.get(ref, ref))

    def describe(self, variants) -> dict[str, str]:
        return {v.key: format_html("{}", self.label_of(v.arm)) for v in variants}

    def stylesheet_urls(self, refs: list[str]) -> list[str]:
        return []

    def promote(self, storefront, winner: str, others: list[str], actor) -> str:
        if winner == REMINDER:
            return gettext("Reminders helped: start another nudges experiment with a small “none” share to keep "
                           "measuring, or keep this one running.")
        return gettext("Reminders did not help: stalled learners are no longer reminded.")

    def units(self, experiment: Experiment) -> tuple[dict[str, dict[str, datetime]], dict[str, dict[str, datetime]]]:
        """``(exposed, resumed)``, each per variant key ``{unit: time}``: a unit is one learner's stall in one
        course (``u:<learner>:<course>:<stall>``), exposed when entered; resumed at their first lesson of that
        course completed after the exposure (the framework applies its attribution window)."""
        exposed: dict[str, dict[str, datetime]] = defaultdict(dict)
        resumed: dict[str, dict[str, datetime]] = defaultdict(dict)
        first_lesson = (LessonProgress.objects.filter(
            learner_id=OuterRef("learner_id"), lesson__section__course_id=OuterRef("course_id"),
            completed_at__gt=OuterRef("exposed_at")).order_by("completed_at").values("completed_at")[:1])
        rows = (NudgeExposure.objects.filter(experiment=experiment).annotate(resumed_at=Subquery(first_lesson))
                .values_list("variant", "learner_id", "course_id", "stalled_since", "exposed_at", "resumed_at"))
        for variant, learner_id, course_id, since, exposed_at, resumed_at in rows.iterator():
            unit = f"u:{learner_id}:{course_id}:{int(since.timestamp())}"
            exposed[variant][unit] = exposed_at
            if resumed_at is not None:
                resumed[variant][unit] = resumed_at
        return exposed, resumed


ARMS = NudgeArms()
