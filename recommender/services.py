"""Writes for the recommender: event ingestion, server-side logging, impressions, version activation.

Training and feed materialisation live in :mod:`recommender.training` (they import the engine lazily).
"""

import functools
import json
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from courseplatform.catalog.models import Course

from . import cache as feed_cache
from .models import EventType, Interaction, ModelVersion, TrainingRun

logger = logging.getLogger(__name__)

MAX_BATCH = 500
#: the engine's model names (``recommender.engine.MODEL_NAMES``; a test keeps the two in step). Listed here so
#: the web tier can validate a request without importing the engine (and torch).
ALGORITHMS = ("pop", "itemknn", "ials", "bpr", "ease")
#: event types that change what a learner should see next (their feed cache is dropped)
FRESH_TYPES = {EventType.CLICK, EventType.VIEW, EventType.WISHLIST, EventType.ENROLL, EventType.COMPLETE}


def record_server_event(*, user, course, event_type: str, surface: str = "", value: float | None = None) -> None:
    """Log an event that happened on the site itself (enrolments, completions, ratings)."""
    Interaction.objects.create(
        user=user, course=course, type=event_type, ts=timezone.now(), value=value, surface=surface
    )
    user_id = getattr(user, "pk", None)
    transaction.on_commit(lambda: feed_cache.invalidate_user(user_id))


@dataclass
class IngestResult:
    stored: list[str] = field(default_factory=list)  # event ids written now
    duplicates: list[str] = field(default_factory=list)  # event ids already stored (a retried batch)
    refused: list[dict] = field(default_factory=list)  # {"index", "event_id", "errors"}

    @property
    def accepted(self) -> list[str]:
        return self.stored + self.duplicates


def _experiment_tags(user, session_key: str, storefront_ids: set[int]) -> dict[int, dict]:
    """``{storefront_id: {"experiment", "variant"}}`` for storefronts running a palette experiment.

    One cached read of the storefronts running an experiment first (usually none): only those are looked up.
    """
    from courseplatform.catalog.models import Storefront
    from courseplatform.experiments.selectors import experiment_tags, running_storefront_ids

    running = storefront_ids & running_storefront_ids()
    return {sid: experiment_tags(user=user, session_key=session_key, storefront=Storefront(pk=sid))
            for sid in running}


#: the Interaction fields the events API writes, in the order of the row tuples built by ``events_ingest``
_COLUMNS = ("event_id", "user", "session_key", "course", "type", "ts", "value", "surface", "position",
            "experiment", "variant", "received_at")


@functools.cache
def _pg_insert(alias: str) -> tuple[str, tuple[str, ...]]:
    """The PostgreSQL statement and the column names of ``_COLUMNS``."""
    meta, quote = Interaction._meta, connections[alias].ops.quote_name
    names = tuple(meta.get_field(name).column for name in _COLUMNS)
    columns = ", ".join(quote(name) for name in names)
    table, event_id = quote(meta.db_table), quote(meta.get_field("event_id").column)
    sql = (f"INSERT INTO {table} ({columns}) SELECT {columns} FROM json_populate_recordset(NULL::{table}, %s) "
           f"ON CONFLICT ({event_id}) DO NOTHING RETURNING {event_id}::text")
    return sql, names


def _published_storefronts(course_ids: set[int]) -> dict[int, int]:
    """``{course_id: storefront_id}`` of the published courses among ``course_ids``.

    On PostgreSQL one ``= ANY(array)`` query: the ORM's ``pk__in`` builds and compiles one parameter per id,
    0.7 ms of a 50-event batch (bench/load.py profile). Same rows as ``Course.objects.published()``.
    """
    db = Course.objects.db
    connection = connections[db]
    if connection.vendor == "postgresql":
        meta, quote = Course._meta, connection.ops.quote_name
        sql = (f"SELECT {quote(meta.pk.column)}, {quote(meta.get_field('storefront').column)} "
               f"FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('published').column)} "
               f"AND {quote(meta.pk.column)} = ANY(%s)")
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(course_ids)])
            return dict(cursor.fetchall())
    return dict(Course.objects.published().filter(pk__in=course_ids).values_list("pk", "storefront_id"))


def _insert_events(rows: list[tuple]) -> set[str]:
    """Write ``rows`` (tuples in ``_COLUMNS`` order) skipping event ids already stored; return the ids (str)
    written by this call.

    PostgreSQL: one ``INSERT … SELECT … FROM json_populate_recordset(…) ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id`` says which rows were new, atomically (a concurrent retry that won the race is not
    counted twice). The rows travel as one JSON parameter (typed by the table itself): the statement's text
    is the same for every batch, and encoding is one ``json.dumps`` instead of hundreds of adapted values.
    Elsewhere (SQLite): a SELECT of the ids already stored, then a bulk insert ignoring conflicts.
    """
    db = Interaction.objects.db
    connection = connections[db]
    if connection.vendor == "postgresql":
        sql, names = _pg_insert(db)
        e, u, sk, c, ty, ts, v, su, po, ex, va, rc = names
        received = rows[0][11].isoformat()  # one value per batch
        payload = json.dumps([{e: str(r[0]), u: r[1], sk: r[2], c: r[3], ty: r[4], ts: r[5].isoformat(), v: r[6],
                               su: r[7], po: r[8], ex: r[9], va: r[10], rc: received} for r in rows])
        with connection.cursor() as cursor:
            cursor.execute(sql, [payload])
            return {r[0] for r in cursor.fetchall()}
    existing = {str(x) for x in Interaction.objects.using(db).filter(event_id__in=[r[0] for r in rows])
                .values_list("event_id", flat=True)}
    new = [Interaction(**{name + ("_id" if name in ("user", "course") else ""): value
                          for name, value in zip(_COLUMNS, row, strict=True)})
           for row in rows if str(row[0]) not in existing]
    # ignore_conflicts: a concurrent retry of the same batch may have won the race; nothing is doubled.
    Interaction.objects.using(db).bulk_create(new, ignore_conflicts=True, batch_size=500)
    return {str(r.event_id) for r in new}


def events_ingest(*, events: Sequence[dict], user=None, session_key: str = "") -> IngestResult:
    """Store validated events (dicts with ``index``, ``event_id``, ``type``, ``course``, ``ts``, ``value``,
    ``context``) in one bulk insert; idempotent on ``event_id``.

    Events on unknown or unpublished courses are refused; an event id already stored (or repeated in the
    batch) is reported as a duplicate and stored nothing. Raises the database's ``OperationalError`` /
    ``InterfaceError`` when it is unavailable (the API answers 503).
    """
    result = IngestResult()
    if len(events) > MAX_BATCH:
        raise ValidationError(_("At most %(n)d events per batch.") % {"n": MAX_BATCH})
    user_id = user.pk if user is not None and user.is_authenticated else None
    course_ids = {e["course"] for e in events}
    known = _published_storefronts(course_ids)
    tags = _experiment_tags(user, session_key, set(known.values())) if known else {}
    row_session = "" if user_id else session_key[:64]
    received = timezone.now()
    rows, seen, order = [], set(), []  # order: (event id, is a repeat inside the batch) of each known event
    for event in events:
        event_uuid = event["event_id"]
        if not isinstance(event_uuid, uuid.UUID):
            event_uuid = uuid.UUID(event_uuid)
        event_id = str(event_uuid)
        storefront_id = known.get(event["course"])
        if storefront_id is None:
            result.refused.append({"index": event["index"], "event_id": event_id,
                                   "errors": {"course": [_("Unknown course.")]}})
            continue
        if event_id in seen:
            order.append((event_id, True))
            continue
        seen.add(event_id)
        order.append((event_id, False))
        context = event.get("context") or {}
        # Experiment tags come from the server's own assignment, never from the client (no self-tagging).
        tag = tags.get(storefront_id, {})
        rows.append((event_uuid, user_id, row_session, event["course"], event["type"], event["ts"],
                     event.get("value"), context.get("surface", ""), context.get("position"),
                     tag.get("experiment", ""), tag.get("variant", ""), received))
    if rows:
        written = _insert_events(rows)
        for event_id, repeat in order:
            (result.stored if not repeat and event_id in written else result.duplicates).append(event_id)
        if user_id and any(row[4] in FRESH_TYPES and str(row[0]) in written for row in rows):
            feed_cache.invalidate_user(user_id)
    return result


def impressions_log(*, user=None, session_key: str = "", course_ids: Sequence[int], surface: str) -> int:
    """Log that ``course_ids`` were shown, in this order (position 1 first), on ``surface``."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    if not course_ids or not (user_id or session_key):
        return 0
    now = timezone.now()
    rows = [
        Interaction(user_id=user_id, session_key="" if user_id else session_key[:64], course_id=course_id,
                    type=EventType.IMPRESSION, ts=now, surface=surface[:32], position=position)
        for position, course_id in enumerate(course_ids, start=1)
    ]
    Interaction.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


# --- model versions ---------------------------------------------------------------------------------------

def gate_metric() -> str:
    return getattr(settings, "RECOMMENDER_GATE_METRIC", "ndcg@10")


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
    tolerance = float(getattr(settings, "RECOMMENDER_GATE_TOLERANCE", 0.0))
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
        from workers import app

        try:
            app.send_task("recommender.materialise_feeds", args=[version_id], kwargs={
                "activate": True, "actor_id": actor_id})
        except Exception:
            logger.warning("could not queue the feed rebuild of version %s", version_id, exc_info=True)

    transaction.on_commit(send)
    return False


def training_request(*, actor=None, algorithm: str = "", params: dict | None = None,
                     forced: bool = False) -> TrainingRun:
    """Create a training run and queue it on the ``gpu`` queue once the transaction commits."""
    from courseplatform.jobs.services import job_dispatch

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
    from courseplatform.jobs.models import JobStatus

    if TrainingRun.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        return None
    return training_request()
