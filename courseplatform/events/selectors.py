"""Reads of the interaction log for other apps (the recommender, experiments, analytics, demo seeding).

Querysets are returned where callers aggregate further; nothing here writes.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db import connections
from django.db.models import FloatField, Func, IntegerField, Max, OuterRef, QuerySet, Subquery

from .models import EventType, Interaction


def interaction_count() -> int:
    return Interaction.objects.count()


def stored_event_ids(event_ids: Iterable) -> set[str]:
    """Which of ``event_ids`` are stored (as strings)."""
    return {str(e) for e in Interaction.objects.filter(event_id__in=list(event_ids)).values_list("event_id", flat=True)}


def learner_history() -> list[tuple]:
    """Every learner event except impressions, oldest first: ``(user_id, course_id, type, ts, value)``."""
    return list(Interaction.objects.filter(user__isnull=False).exclude(type=EventType.IMPRESSION)
                .order_by("id").values_list("user_id", "course_id", "type", "ts", "value"))


class EpochSeconds(Func):
    """A datetime column as float unix seconds, computed by the database: parsing a timestamp per row in Python
    (psycopg's text loader) costs more than the rest of a streamed row."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::float8", **extra)

    def as_sqlite(self, compiler, connection, **extra):  # stored as ISO text in UTC
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5) * 86400.0",
                           **extra)


def _learner_history_rows() -> QuerySet:
    return (Interaction.objects.filter(user__isnull=False).exclude(type=EventType.IMPRESSION)
            .annotate(ts_s=EpochSeconds("ts")).values_list("user_id", "course_id", "type", "ts_s", "value"))


def learner_history_count() -> int:
    """How many rows :func:`learner_history_chunks` yields (a size hint taken before reading them)."""
    return _learner_history_rows().count()


def learner_history_chunks(chunk_size: int = 20_000) -> Iterator[list[tuple]]:
    """:func:`learner_history`'s rows, ``ts`` as float unix seconds, streamed in lists of at most ``chunk_size``,
    in no particular order (the storage order: on PostgreSQL a sequential scan of the month partitions). A
    server-side cursor on PostgreSQL (``iterator``): memory holds one chunk, not the log. Wrap in a transaction
    on PostgreSQL for a consistent snapshot."""
    queryset = _learner_history_rows().order_by()
    sql, params = queryset.query.sql_with_params()
    connection = connections[queryset.db]
    # the queryset's own SQL on Django's chunked cursor (what ``iterator()`` uses) without the per-row
    # converters: every column already arrives as the Python type wanted (ints, str, floats)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk


def learner_impressions(limit: int) -> list[tuple]:
    """The newest ``limit`` impressions of learners shown at a position, oldest first:
    ``(user_id, course_id, ts, position)``."""
    rows = list(Interaction.objects.filter(type=EventType.IMPRESSION, user__isnull=False, position__isnull=False)
                .order_by("-ts", "-id").values_list("user_id", "course_id", "ts", "position")[:limit])
    rows.reverse()
    return rows


def recent_activity(user, *, since: datetime, types: Iterable[str], limit: int = 30) -> list[tuple[int, str]]:
    """The learner's newest ``(course_id, type)`` events of ``types`` since ``since``, newest first."""
    return list(Interaction.objects.filter(user=user, ts__gte=since, type__in=list(types))
                .order_by("-ts").values_list("course_id", "type")[:limit])


class _CountOf(Subquery):
    """``count(*)`` of the rows a (sliced) subquery answers."""

    template = "(SELECT count(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()


def with_few_engagements(courses: QuerySet, below: int) -> QuerySet:
    """``courses`` with fewer than ``below`` logged events other than impressions. Each course's events are
    counted up to ``below`` only: a LIMIT subquery on the ``(course, type)`` index, one range per engagement type
    (impressions, most of the log, are never read), instead of grouping the whole log (2.2 s at 4.5 M events on
    PostgreSQL, growing with it)."""
    engaged = [t for t in EventType.values if t != EventType.IMPRESSION]
    first = Interaction.objects.filter(course=OuterRef("pk"), type__in=engaged).values("course")[:below]
    return courses.annotate(_engagements=_CountOf(first)).filter(_engagements__lt=below)


def tagged(tag: str) -> QuerySet:
    """Rows tagged with experiment ``tag`` (written by the taggers or an exposure log)."""
    return Interaction.objects.filter(experiment=tag)


def last_tagged_id(tag: str) -> int | None:
    """The id of the newest row tagged ``tag``: changes whenever one is written (a cache key)."""
    return tagged(tag).aggregate(last=Max("id"))["last"]


def storefront_activity(storefront, *, since: datetime) -> QuerySet:
    """Rows on ``storefront``'s courses since ``since``."""
    return Interaction.objects.filter(course__storefront=storefront, ts__gte=since)


def storefront_learner_ids(storefront) -> set[int]:
    """Signed-in people with any logged row on ``storefront``'s courses."""
    return set(Interaction.objects.filter(course__storefront=storefront, user__isnull=False)
               .values_list("user_id", flat=True).distinct())


def learner_events(event_type: str, *, user_ids: Iterable[int], since: datetime, until: datetime) -> list[tuple]:
    """``(user_id, course_id)`` of the learners' events of ``event_type`` in ``[since, until]``."""
    return list(Interaction.objects.filter(type=event_type, user_id__in=list(user_ids), ts__gte=since, ts__lte=until)
                .values_list("user_id", "course_id"))
