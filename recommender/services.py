"""Writes for the recommender: version activation, training requests, the feed cache on new events.

Events are logged by ``courseplatform.events`` (the interaction log's one writer). Training and feed
materialisation live in :mod:`recommender.training` (they import the engine lazily).
"""

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courseplatform.events.models import EventType
from courseplatform.jobs.models import JobStatus
from courseplatform.jobs.services import job_dispatch
from workers import app as celery_app

from . import cache as feed_cache
from .models import InterleavingExperiment, ModelVersion, TrainingRun

logger = logging.getLogger(__name__)

#: the engine's model names (``recommender.engine.MODEL_NAMES``; a test keeps the two in step). Listed here so
#: the web tier can validate a request without importing the engine (and torch).
ALGORITHMS = ("pop", "itemknn", "ials", "bpr", "ease", "blend")
#: event types that change what a learner should see next (their feed cache is dropped)
FRESH_TYPES = {EventType.CLICK, EventType.VIEW, EventType.WISHLIST, EventType.ENROLL, EventType.COMPLETE}
FEED_CHANGING = frozenset(t.value for t in (*FRESH_TYPES, EventType.RATE))


def feed_cache_drop(sender, *, user_id: int | None, types: frozenset[str], **kwargs) -> None:
    """Receiver of ``courseplatform.events.signals.interactions_recorded``: a learner who enrolled, clicked,
    completed or rated sees a fresh feed on the next request."""
    if user_id and types & FEED_CHANGING:
        feed_cache.invalidate_user(user_id)


def catalog_changed(sender, **kwargs) -> None:
    """Receiver of ``post_save`` / ``post_delete`` of courses, storefronts and categories (a title, a price, a
    course hidden or published): every rendered feed is stale once the change commits."""
    transaction.on_commit(feed_cache.bump_catalog)


def interests_changed(sender, *, instance, action: str, **kwargs) -> None:
    """Receiver of ``m2m_changed`` on a learner's interests: a new learner's feed is built from them."""
    if action in ("post_add", "post_remove", "post_clear") and getattr(instance, "pk", None):
        user_id = instance.pk
        transaction.on_commit(lambda: feed_cache.invalidate_user(user_id))


# --- model versions ---------------------------------------------------------------------------------------

def gate_metric() -> str:
    return settings.RECOMMENDER_GATE_METRIC


def _same_split_scores(candidate: ModelVersion, active: ModelVersion, name: str
                       ) -> tuple[float, float, str] | None:
    """``(new, old, where)`` from ``candidate.metrics["gate"]`` when it holds the active version's algorithm
    refitted on the candidate's own split, or its saved model scored on the same test learners (see
    ``recommender.training.incumbent_on_split``), else None. ``where`` is the note saying which."""
    gate = (candidate.metrics or {}).get("gate")
    if not isinstance(gate, dict) or gate.get("incumbent_version") != active.pk or gate.get("metric") != name:
        return None
    new, old = gate.get("candidate"), gate.get("incumbent")
    if not isinstance(new, int | float) or not isinstance(old, int | float):
        return None
    if gate.get("incumbent_refit") == "saved model":
        where = NOTE_SAVED_MODEL % {"version": active.pk}
    elif gate.get("incumbent_refit") == "same algorithm and parameters":
        return None  # written before the fix: the candidate's own score reused, no comparison at all
    else:
        where = NOTE_SAME_SPLIT % {"algorithm": active.algorithm, "version": active.pk}
    return float(new), float(old), where


def version_is_not_worse(candidate: ModelVersion, active: ModelVersion | None) -> tuple[bool, str]:
    """Whether ``candidate``'s holdout metric is at least the active version's (minus a tolerance).

    Like for like when training recorded it: the candidate's score against the active version's algorithm and
    parameters refitted on the *same* split, or (same algorithm and parameters, where a refit would be the
    candidate itself) against the active version's saved model on the same test learners (``metrics["gate"]``).
    Otherwise (an older version, a failed refit,
    or the active version changed since training) the stored metrics are compared, and the note says that they
    come from different splits. The note is stored in English (one of :data:`NOTE_FORMATS`);
    :func:`note_display` shows it in the reader's language.
    """
    name = gate_metric()
    tolerance = float(settings.RECOMMENDER_GATE_TOLERANCE)
    if active is None:
        return True, NOTE_NO_ACTIVE_VERSION
    same = _same_split_scores(candidate, active, name)
    if same is not None:
        new, old, where = same
    else:
        old, new = active.metric(name), candidate.metric(name)
        where = NOTE_STORED_METRIC % {"version": active.pk}
        if old is None:
            return True, NOTE_ACTIVE_LACKS_METRIC % {"version": active.pk, "metric": name}
        if new is None:
            return False, NOTE_NEW_LACKS_METRIC % {"metric": name}
    values = {"metric": name, "new": f"{new:.4f}", "old": f"{old:.4f}", "where": where}
    if new + tolerance >= old:
        return True, NOTE_NOT_WORSE % values
    return False, NOTE_WORSE % values


# --- notes on versions and training runs ----------------------------------------------------------------------
# Stored in English (ModelVersion.note, TrainingRun.reason), whatever language the writer (a worker, a staff
# member) uses; note_display() renders them in the reader's language. Each is a msgid (gettext_noop marks it for
# makemessages); %(note)s and %(where)s hold another note, translated in turn.

NOTE_NO_ACTIVE_VERSION = gettext_noop("no active version")
NOTE_NOT_WORSE = gettext_noop("%(metric)s %(new)s ≥ %(old)s (%(where)s)")
NOTE_WORSE = gettext_noop("%(metric)s %(new)s < %(old)s (%(where)s)")
NOTE_SAME_SPLIT = gettext_noop("%(algorithm)s of version #%(version)s refitted on the same split")
NOTE_STORED_METRIC = gettext_noop("version #%(version)s, stored metric from its own split")
NOTE_SAVED_MODEL = gettext_noop("saved model of version #%(version)s scored on the same test learners")
NOTE_ACTIVE_LACKS_METRIC = gettext_noop("active version #%(version)s has no %(metric)s")
NOTE_NEW_LACKS_METRIC = gettext_noop("no %(metric)s for the new version")
NOTE_ACTIVATED_BY_STAFF = gettext_noop("activated by staff")
NOTE_FORMATS: tuple[str, ...] = (
    NOTE_NO_ACTIVE_VERSION, NOTE_NOT_WORSE, NOTE_WORSE, NOTE_SAME_SPLIT, NOTE_STORED_METRIC, NOTE_SAVED_MODEL,
    NOTE_ACTIVE_LACKS_METRIC, NOTE_NEW_LACKS_METRIC, NOTE_ACTIVATED_BY_STAFF,
    # written by recommender.training (the gate's verdict) and recommender.tasks (feed rebuilds, GPU fallback);
    # tests/recommender/test_notes.py checks that what they write is recognised here
    gettext_noop("activated version #%(version)s: %(note)s"),
    gettext_noop("kept version #%(version)s active: %(note)s"),
    gettext_noop("forced: %(note)s"),
    gettext_noop("version #%(version)s is active"),
    gettext_noop("feeds rebuilt, then activated"),
    gettext_noop("fell back to CPU: CUDA out of memory"),
)
_NESTED = ("note", "where")  # placeholders that hold a note of their own


def _note_pattern(fmt: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", fmt)  # literal, name, literal, name, …, literal
    return re.compile("".join(re.escape(part) if i % 2 == 0 else
                              (f"(?P<{part}>.+)" if part in _NESTED else f"(?P<{part}>\\S+)")
                              for i, part in enumerate(parts)))


_NOTE_PATTERNS = [(fmt, _note_pattern(fmt)) for fmt in NOTE_FORMATS]


def _note_in_language(text: str) -> str:
    for fmt, pattern in _NOTE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            values = {key: _note_in_language(value) if key in _NESTED else value
                      for key, value in match.groupdict().items()}
            try:
                return translation.gettext(fmt) % values
            except (KeyError, TypeError, ValueError):  # a broken translation: the English note
                return fmt % values
    return text


def note_display(note: str) -> str:
    """A stored version or run note in the active language. Each line, and each "; "-separated part of a line,
    is matched against :data:`NOTE_FORMATS`; text that matches none (an exception message, an older note)
    is shown as stored."""
    return "\n".join("; ".join(_note_in_language(part) for part in line.split("; "))
                     for line in (note or "").splitlines())


def version_activate(*, version: ModelVersion, actor=None, note: str = "") -> ModelVersion:
    """Make ``version`` the one active version (also the rollback: activate any earlier version).

    One transaction flips the flags; the feed cache is dropped once it commits, so every process serves
    the new version's rows on its next request (no restart).
    """
    for attempt in range(3):
        try:
            with transaction.atomic():
                target = ModelVersion.objects.select_for_update().get(pk=version.pk)
                if not target.is_servable:
                    raise ValidationError(_("This version has no saved model and cannot be activated."))
                if target.is_active:
                    return target
                ModelVersion.objects.filter(is_active=True).exclude(pk=target.pk).update(is_active=False)
                target.is_active, target.activated_at = True, timezone.now()
                target.activated_by = actor if actor is not None and actor.is_authenticated else None
                fields = ["is_active", "activated_at", "activated_by"]
                if note:
                    target.note = (f"{target.note}\n{note}" if target.note else note)[:2000]
                    fields.append("note")
                target.save(update_fields=fields)
                transaction.on_commit(feed_cache.invalidate_active_version)
                version.is_active, version.activated_at = True, target.activated_at
                return target
        except IntegrityError:  # a concurrent activation won the unique constraint: retry against it
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def version_request_activation(*, version: ModelVersion, actor=None) -> bool:
    """Activate now when the version's feed rows exist (returns True); when they were pruned, queue a worker
    to rebuild them from the artifact and activate afterwards (returns False)."""
    if version.feed_count > 0 or version.is_active:
        version_activate(version=version, actor=actor, note=NOTE_ACTIVATED_BY_STAFF)
        return True
    if not version.is_servable:
        raise ValidationError(_("This version has no saved model and cannot be activated."))
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    version_id = version.pk

    def send() -> None:
        try:
            celery_app.send_task("recommender.materialise_feeds", args=[version_id], kwargs={
                "activate": True, "actor_id": actor_id})
        except Exception:
            logger.warning("could not queue the feed rebuild of version %s", version_id, exc_info=True)

    transaction.on_commit(send)
    return False


def training_request(*, actor=None, algorithm: str = "", params: dict | None = None,
                     forced: bool = False) -> TrainingRun:
    """Create a training run and queue it on the ``gpu`` queue once the transaction commits."""
    if algorithm and algorithm not in ALGORITHMS:
        raise ValidationError(_("Unknown algorithm %(name)s.") % {"name": algorithm})
    with transaction.atomic():
        run = TrainingRun.objects.create(
            algorithm=algorithm, params=params or {}, forced=forced,
            requested_by=actor if actor is not None and actor.is_authenticated else None,
        )
        job_dispatch(run)
    return run


def training_schedule() -> TrainingRun | None:
    """Beat entry: queue a run unless one is already queued or running."""
    if TrainingRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        return None
    return training_request()


# --- interleaving experiments -----------------------------------------------------------------------------

def _queue_materialise(version_id: int) -> None:
    try:
        celery_app.send_task("recommender.materialise_feeds", args=[version_id])
    except Exception:
        logger.warning("could not queue the feed rebuild of version %s", version_id, exc_info=True)


def version_feeds_prepare(versions) -> None:
    """Queue a feed rebuild (``recommender.materialise_feeds``, idempotent) for each version without feed rows,
    once the transaction commits: a version about to be served by an experiment must have them."""
    for version in versions:
        if version.feed_count == 0 and version.is_servable:
            transaction.on_commit(lambda pk=version.pk: _queue_materialise(pk))


def interleaving_start(*, version_a: ModelVersion, version_b: ModelVersion, actor=None) -> InterleavingExperiment:
    """Start a team-draft interleaving test of two versions (one at a time). A version whose feed rows were
    pruned gets them rebuilt by a worker (until then its learners' rankings are the cold-start ones)."""
    if version_a.pk == version_b.pk:
        raise ValidationError(_("Choose two different versions."), code="same_version")
    try:
        with transaction.atomic():
            versions = {v.pk: v for v in ModelVersion.objects.select_for_update().filter(
                pk__in=[version_a.pk, version_b.pk])}
            if len(versions) != 2 or not all(v.is_servable for v in versions.values()):
                raise ValidationError(_("Both versions need a saved model."), code="not_servable")
            if InterleavingExperiment.objects.filter(status=InterleavingExperiment.Status.RUNNING).exists():
                raise ValidationError(_("An interleaving experiment is already running; stop it first."),
                                      code="already_running")
            experiment = InterleavingExperiment.objects.create(
                version_a=versions[version_a.pk], version_b=versions[version_b.pk],
                started_by=actor if actor is not None and actor.is_authenticated else None)
            version_feeds_prepare(versions.values())
            feed_cache.invalidate_interleaving()  # now for this transaction, again once the change is visible
            transaction.on_commit(feed_cache.invalidate_interleaving)
    except IntegrityError:  # a concurrent start won the one-running constraint
        raise ValidationError(_("An interleaving experiment is already running; stop it first."),
                              code="already_running") from None
    return experiment


def interleaving_stop(*, experiment: InterleavingExperiment, actor=None) -> InterleavingExperiment:
    """Stop a running interleaving test (its results stay, counted up to now); stopping twice does nothing."""
    with transaction.atomic():
        target = InterleavingExperiment.objects.select_for_update().get(pk=experiment.pk)
        if target.status == InterleavingExperiment.Status.RUNNING:
            target.status, target.stopped_at = InterleavingExperiment.Status.STOPPED, timezone.now()
            target.stopped_by = actor if actor is not None and actor.is_authenticated else None
            target.save(update_fields=["status", "stopped_at", "stopped_by"])
            feed_cache.invalidate_interleaving()  # now for this transaction, again once the change is visible
            transaction.on_commit(feed_cache.invalidate_interleaving)
    return target
