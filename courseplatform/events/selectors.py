"""Reads of the interaction log for other apps (the recommender, experiments, analytics, demo seeding).

Querysets are returned where callers aggregate further; nothing here writes.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet

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


def with_engagements(courses: QuerySet, name: str = "engagements") -> QuerySet:
    """``courses`` annotated with ``name``: how many logged events other than impressions each has."""
    return courses.annotate(**{name: Count("interactions", filter=~Q(interactions__type=EventType.IMPRESSION))})


def tagged(tag: str) -> QuerySet:
    """Rows tagged with experiment ``tag`` (written by the taggers or an exposure log)."""
    return Interaction.objects.filter(experiment=tag)


def last_tagged_id(tag: str) -> int | None:
    """The id of the newest row tagged ``tag``: changes whenever one is written (a cache key)."""
    return tagged(tag).aggregate(last=Max("id"))["last"]


def storefront_activity(storefront, *, since: datetime) -> QuerySet:
    """Rows on ``storefront``'s courses since ``since``."""
    return Interaction.objects.filter(course__storefront=storefront, ts__gte=since)


def learner_events(event_type: str, *, user_ids: Iterable[int], since: datetime, until: datetime) -> list[tuple]:
    """``(user_id, course_id)`` of the learners' events of ``event_type`` in ``[since, until]``."""
    return list(Interaction.objects.filter(type=event_type, user_id__in=list(user_ids), ts__gte=since, ts__lte=until)
                .values_list("user_id", "course_id"))
