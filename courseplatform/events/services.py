"""The only writer of the interaction log: client batches (``POST /api/events``), server-side events
(enrolments, completions, ratings), impressions and experiment exposures.

Every write sends ``signals.interactions_recorded`` once committed; event tags come from the registered taggers
(``taggers.py``) only.
"""

import functools
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import orjson
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course
from courseplatform.privacy.consent import tracking_allowed

from . import buffer, taggers
from .models import EventType, Interaction
from .signals import interactions_recorded

logger = logging.getLogger(__name__)

MAX_BATCH = 500


def _announce(user_id: int | None, types) -> None:
    """Send ``interactions_recorded`` once the current transaction commits (at once outside one)."""
    types = frozenset(str(t) for t in types)
    if types:
        transaction.on_commit(lambda: interactions_recorded.send(sender=__name__, user_id=user_id, types=types))


def record_server_event(*, user, course: Course, event_type: str, surface: str = "", value: float | None = None,
                        tag: bool = False) -> Interaction:
    """Log an event that happened on the site itself (enrolments, completions, ratings). With ``tag`` the
    registered taggers label it (an enrolment is an experiment's outcome)."""
    tags = {}
    if tag:
        tags = taggers.tags_for(user=user, session_key="", courses={course.pk: course.storefront_id}).get(
            course.pk, {})
    row = Interaction.objects.create(user=user, course=course, type=event_type, ts=timezone.now(), value=value,
                                     surface=surface, **tags)
    _announce(getattr(user, "pk", None), [event_type])
    return row


@dataclass
class IngestResult:
    stored: list[str] = field(default_factory=list)  # event ids written now
    duplicates: list[str] = field(default_factory=list)  # event ids already stored (a retried batch)
    refused: list[dict] = field(default_factory=list)  # {"index", "event_id", "errors"}

    @property
    def accepted(self) -> list[str]:
        return self.stored + self.duplicates


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
           f"ON CONFLICT DO NOTHING RETURNING {event_id}::text")  # the unique key is (event_id, ts) when partitioned
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
    """Write ``rows`` (tuples in ``_COLUMNS`` order, the event id as its canonical string) skipping event ids
    already stored; return the ids written by this call.

    PostgreSQL: one ``INSERT … SELECT … FROM json_populate_recordset(…) ON CONFLICT DO NOTHING
    RETURNING event_id`` says which rows were new, atomically (a concurrent retry that won the race is not
    counted twice). The rows travel as one JSON parameter (typed by the table itself): the statement's text
    is the same for every batch, and encoding is one ``orjson.dumps`` (datetimes as RFC 3339 by orjson itself;
    the standard library's ``json`` with ``isoformat`` per row took 184 us of a 50-row batch, orjson 42 us)
    instead of hundreds of adapted values.
    Elsewhere (SQLite): a SELECT of the ids already stored, then a bulk insert ignoring conflicts.
    """
    db = Interaction.objects.db
    connection = connections[db]
    if connection.vendor == "postgresql":
        sql, names = _pg_insert(db)
        e, u, sk, c, ty, ts, v, su, po, ex, va, rc = names
        received = rows[0][11]  # one value per batch
        payload = orjson.dumps([{e: r[0], u: r[1], sk: r[2], c: r[3], ty: r[4], ts: r[5], v: r[6], su: r[7],
                                 po: r[8], ex: r[9], va: r[10], rc: received} for r in rows]).decode()
        with connection.cursor() as cursor:
            cursor.execute(sql, [payload])
            return {r[0] for r in cursor.fetchall()}
    existing = {str(x) for x in Interaction.objects.using(db).filter(event_id__in=[r[0] for r in rows])
                .values_list("event_id", flat=True)}
    new = [Interaction(**{name + ("_id" if name in ("user", "course") else ""): value
                          for name, value in zip(_COLUMNS, row, strict=True)})
           for row in rows if row[0] not in existing]
    # ignore_conflicts: a concurrent retry of the same batch may have won the race; nothing is doubled.
    Interaction.objects.using(db).bulk_create(new, ignore_conflicts=True, batch_size=500)
    return {str(r.event_id) for r in new}


def events_ingest(*, events: Sequence[dict], user=None, session_key: str = "",
                  experiment_tags: bool = True, cache_reads: Mapping[str, object] | None = None) -> IngestResult:
    """Store validated events (dicts with ``index``, ``event_id``, ``type``, ``course``, ``ts``, ``value``,
    ``context``) in one bulk insert; idempotent on ``event_id``. ``experiment_tags=False`` stores them without
    the taggers' tags (events from a visitor who has not passed the experiments' humanity bar); ``cache_reads``:
    the taggers' cache keys read ahead (``taggers.read_ahead_keys``).

    Events on unknown or unpublished courses are refused; an event id already stored (or repeated in the
    batch) is reported as a duplicate and stored nothing. Raises the database's ``OperationalError`` /
    ``InterfaceError`` when it is unavailable (the API answers 503).
    """
    result = IngestResult()
    if len(events) > MAX_BATCH:
        raise ValidationError(_("At most %(n)d events per batch.") % {"n": MAX_BATCH})
    user_id = user.pk if user is not None and user.is_authenticated else None
    known = _published_storefronts({e["course"] for e in events})
    tags = (taggers.tags_for(user=user, session_key=session_key, courses=known, cache_reads=cache_reads)
            if known and experiment_tags else {})
    row_session = "" if user_id else session_key[:64]
    received = timezone.now()
    rows, seen, order = [], set(), []  # order: (event id, is a repeat inside the batch) of each known event
    for event in events:
        event_uuid = event["event_id"]
        if not isinstance(event_uuid, uuid.UUID):
            event_uuid = uuid.UUID(event_uuid)
        event_id = str(event_uuid)
        if event["course"] not in known:
            result.refused.append({"index": event["index"], "event_id": event_id,
                                   "errors": {"course": [_("Unknown course.")]}})
            continue
        if event_id in seen:
            order.append((event_id, True))
            continue
        seen.add(event_id)
        order.append((event_id, False))
        context = event.get("context") or {}
        tag = tags.get(event["course"], {})  # the client's own context tags are ignored
        rows.append((event_id, user_id, row_session, event["course"], event["type"], event["ts"],
                     event.get("value"), context.get("surface", ""), context.get("position"),
                     tag.get("experiment", ""), tag.get("variant", ""), received))
    if rows:
        written = _insert_events(rows)
        for event_id, repeat in order:
            (result.stored if not repeat and event_id in written else result.duplicates).append(event_id)
        _announce(user_id, {row[4] for row in rows if row[0] in written})
    return result


def impressions_log(*, user=None, user_id: int | None = None, session_key: str = "", course_ids: Sequence[int],
                    surface: str, tags: Mapping[str, str] | None = None, view: bool = False,
                    course_tags: Mapping[int, Mapping[str, str]] | None = None) -> int:
    """Log that ``course_ids`` were shown, in this order (position 1 first), on ``surface``; with ``view`` also a
    ``view`` of the first course (a course page: the click-through). ``tags`` label the rows (an experiment's
    exposure); ``course_tags`` (``{course_id: tags}``) label single rows instead. The visitor is ``user`` (or ``user_id``), else the anonymous ``session_key``. Returns the rows
    written."""
    if user is not None and user.is_authenticated:
        user_id = user.pk
    if not course_ids or not (user_id or session_key):
        return 0
    now, tags = timezone.now(), dict(tags or {})
    common = dict(user_id=user_id, session_key="" if user_id else session_key[:64], ts=now, surface=surface[:32],
                  **{name: str(tags.get(name, ""))[:taggers.TAG_MAX] for name in taggers.TAG_FIELDS})
    rows = [Interaction(course_id=course_id, type=EventType.IMPRESSION, position=position, **common)
            for position, course_id in enumerate(course_ids, start=1)]
    for row in rows:
        for name, value in ((course_tags or {}).get(row.course_id) or {}).items():
            if name in taggers.TAG_FIELDS:
                setattr(row, name, str(value)[:taggers.TAG_MAX])
    if view:
        rows.append(Interaction(course_id=course_ids[0], type=EventType.VIEW, **common))
    if not buffer.push([_buffered(row) for row in rows]):  # buffered: written by the flush worker
        Interaction.objects.bulk_create(rows, ignore_conflicts=True)
        _announce(user_id, {row.type for row in rows})
    return len(rows)


def _buffered(row: Interaction) -> dict:
    """``row`` as a buffer entry's JSON (its ``event_id`` kept: a redelivered entry stores nothing twice)."""
    return {"e": str(row.event_id), "u": row.user_id, "s": row.session_key, "c": row.course_id, "t": row.type,
            "ts": row.ts.isoformat(), "p": row.position, "f": row.surface, "x": row.experiment, "v": row.variant}


def buffer_flush(*, consumer: str, max_entries: int = 20_000, batch: int | None = None, block_ms: int = 0) -> int:
    """Write buffered impressions (``buffer.py``) in batches of ``batch`` stream entries until the stream is
    empty or ``max_entries`` were taken; returns the rows stored.

    Each batch: claim (a dead flusher's idle entries first), one idempotent insert in a transaction,
    acknowledge after the commit. Rows of a course or learner deleted meanwhile are dropped (the cascade would
    have deleted them). Raises the database's errors: the entries stay pending and are taken over later."""
    if buffer.client() is None:
        return 0
    idle_ms = int(1000 * float(getattr(settings, "EVENTS_BUFFER_CLAIM_S", 30)))
    batch = batch or int(getattr(settings, "EVENTS_BUFFER_BATCH", 200))
    stored = taken = 0
    while taken < max_entries:
        entries = buffer.claim(consumer, count=min(batch, max_entries - taken), idle_ms=idle_ms,
                               block_ms=block_ms if not taken else 0)
        if not entries:
            break
        taken += len(entries)
        rows = [row for _entry_id, entry_rows in entries for row in entry_rows]
        written: set[str] = set()
        if rows:
            courses = set(Course.objects.filter(pk__in={r["c"] for r in rows}).values_list("pk", flat=True))
            users = {r["u"] for r in rows if r["u"]}
            if users:
                users = set(get_user_model().objects.filter(pk__in=users).values_list("pk", flat=True))
            received = timezone.now()
            tuples = [(str(uuid.UUID(r["e"])), r["u"], r["s"], r["c"], r["t"], datetime.fromisoformat(r["ts"]), None,
                       r["f"], r["p"], r["x"], r["v"], received)
                      for r in rows if r["c"] in courses and (not r["u"] or r["u"] in users)]
            if tuples:
                with transaction.atomic():
                    written = _insert_events(tuples)
                    by_user: dict[int | None, set[str]] = {}
                    for t in tuples:
                        if t[0] in written:
                            by_user.setdefault(t[1], set()).add(t[4])
                    for user_id, types in by_user.items():
                        _announce(user_id, types)
        buffer.ack([entry_id for entry_id, _rows in entries])
        stored += len(written)
    return stored


def visitor_impressions_log(request, *, course_ids: Sequence[int], surface: str,
                            course_tags: Mapping[int, Mapping[str, str]] | None = None) -> int:
    """:func:`impressions_log` for the visitor of ``request`` (a learner, else the anonymous session if there is
    one: a page view starts none). A failure is logged, never raised: an impression log must not break a page."""
    if not tracking_allowed(request):  # impressions are non-essential: only with the visitor's consent
        return 0
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    session = getattr(request, "session", None)
    session_key = "" if user else (getattr(session, "session_key", None) or "")
    try:
        return impressions_log(user=user, session_key=session_key, course_ids=course_ids, surface=surface,
                               course_tags=course_tags)
    except DatabaseError:
        logger.warning("could not log impressions on %s", surface, exc_info=True)
        return 0


def pending_flush(request) -> int:
    """Write the impressions noted while ``request`` was rendered (``buffer.note_impressions``)."""
    return sum(visitor_impressions_log(request, course_ids=course_ids, surface=surface, course_tags=course_tags)
               for course_ids, surface, course_tags in buffer.take(request))


def history_import(events: Sequence[Mapping], *, batch_size: int = 2000) -> int:
    """Bulk-load a recorded history (demo seeding, backfills): dicts with ``event_id``, ``user``, ``course``,
    ``type``, ``ts`` and optionally ``value``, ``surface``, ``position``. Idempotent on ``event_id``; returns the
    rows offered. No signal is sent (nothing is cached for a history being loaded)."""
    rows = [Interaction(**event) for event in events]
    Interaction.objects.bulk_create(rows, batch_size=batch_size, ignore_conflicts=True)
    return len(rows)
