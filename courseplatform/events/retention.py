"""Upkeep of the interaction log: month partitions created ahead (PostgreSQL) and the retention period.

Events older than ``EVENTS_RETENTION_DAYS`` (by their ``ts``; 0 keeps them forever) are, by
``EVENTS_RETENTION_ACTION``:

* ``anonymise`` (default): detached from the person (``user`` and ``session_key`` cleared); course-level counts
  keep them, training (which reads learners' events only) no longer sees them;
* ``drop``: deleted. On PostgreSQL every month partition wholly older than the cut-off is detached and dropped (no
  row-by-row delete); the rest (the month the cut-off falls in, the default partition) and SQLite are deleted in
  batches of ``batch`` rows, each its own short transaction.

Run by the beat task ``events.maintain`` (``EVENTS_MAINTAIN_EVERY_S``) and ``manage.py events_maintain``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from . import partitions
from .models import Interaction

logger = logging.getLogger(__name__)

ACTIONS = ("anonymise", "drop")
BATCH = 5000


@dataclass
class RetentionResult:
    cutoff: dt.datetime | None = None
    action: str = ""
    anonymised: int = 0
    deleted: int = 0
    dropped_partitions: list[str] = field(default_factory=list)


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime | None:
    """The instant before which events fall under the retention action; ``None`` when events are kept forever."""
    days = int(getattr(settings, "EVENTS_RETENTION_DAYS", 0) or 0)
    if days <= 0:
        return None
    return (now or timezone.now()) - dt.timedelta(days=days)


def retention_action() -> str:
    action = str(getattr(settings, "EVENTS_RETENTION_ACTION", "anonymise")).strip().lower()
    if action not in ACTIONS:
        raise ImproperlyConfigured(f"EVENTS_RETENTION_ACTION must be one of {ACTIONS}, not {action!r}")
    return action


def partitions_ensure(*, now: dt.datetime | None = None, ahead: int | None = None) -> list[str]:
    """Create the month partitions from this month to ``ahead`` months later (``EVENTS_PARTITIONS_AHEAD``) that
    do not exist yet; returns their names. No-op unless the log is partitioned (PostgreSQL)."""
    db = Interaction.objects.db
    table = Interaction._meta.db_table
    if not partitions.is_partitioned(table, connections[db]):
        return []
    now = now or timezone.now()
    ahead = int(getattr(settings, "EVENTS_PARTITIONS_AHEAD", 3)) if ahead is None else ahead
    last = partitions.month_start(now)
    for _ in range(max(ahead, 0)):
        last = partitions.next_month(last)
    with transaction.atomic(using=db):
        created = partitions.ensure_months(table, now, last, connections[db])
    if created:
        logger.info("interaction log: created partitions %s", ", ".join(created))
    return created


def _batched(queryset, apply, batch: int) -> int:
    """``apply(ids)`` on ``queryset``'s rows ``batch`` ids at a time in id order (keyset: each batch reads on
    from the last id, never rescans rows already done); returns the rows applied to."""
    done, last = 0, 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return done
        with transaction.atomic(using=queryset.db):
            done += apply(ids)
        last = ids[-1]


def events_anonymise(*, before: dt.datetime, batch: int = BATCH) -> int:
    """Detach every event older than ``before`` from its person; returns the rows changed."""
    pending = Interaction.objects.filter(ts__lt=before).filter(Q(user__isnull=False) | ~Q(session_key=""))
    return _batched(pending, lambda ids: Interaction.objects.filter(pk__in=ids, ts__lt=before)
                    .update(user=None, session_key=""), batch)


def events_drop(*, before: dt.datetime, batch: int = BATCH) -> tuple[int, list[str]]:
    """Delete every event older than ``before``: whole month partitions first (PostgreSQL), the rest in batches.
    Returns ``(rows deleted in batches, partitions dropped)``."""
    db = Interaction.objects.db
    table = Interaction._meta.db_table
    dropped = []
    for start, name in partitions.partitions(table, connections[db]).items():
        if partitions.next_month(start) <= before:
            with transaction.atomic(using=db):
                partitions.drop_month(table, start, connections[db])
            dropped.append(name)
    old = Interaction.objects.filter(ts__lt=before)
    deleted = _batched(old, lambda ids: Interaction.objects.filter(pk__in=ids, ts__lt=before).delete()[0],
                       batch)
    return deleted, dropped


def retention_apply(*, now: dt.datetime | None = None, batch: int = BATCH) -> RetentionResult:
    """Apply the retention setting once (see the module docstring)."""
    cutoff = retention_cutoff(now)
    result = RetentionResult(cutoff=cutoff, action=retention_action())
    if cutoff is None:
        return result
    if result.action == "drop":
        result.deleted, result.dropped_partitions = events_drop(before=cutoff, batch=batch)
    else:
        result.anonymised = events_anonymise(before=cutoff, batch=batch)
    if result.anonymised or result.deleted or result.dropped_partitions:
        logger.info("interaction log retention (%s before %s): %d anonymised, %d deleted, partitions dropped: %s",
                    result.action, cutoff.isoformat(), result.anonymised, result.deleted,
                    ", ".join(result.dropped_partitions) or "none")
    return result


def log_maintain(*, now: dt.datetime | None = None) -> dict:
    """The beat task's work: partitions ahead, then retention. Returns a summary."""
    created = partitions_ensure(now=now)
    result = retention_apply(now=now)
    return {"created_partitions": created, "cutoff": result.cutoff.isoformat() if result.cutoff else None,
            "action": result.action, "anonymised": result.anonymised, "deleted": result.deleted,
            "dropped_partitions": result.dropped_partitions}
