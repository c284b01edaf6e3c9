"""``manage.py events_maintain``: what the beat task ``events.maintain`` does (month partitions created ahead on
PostgreSQL, then the retention period applied), with a few knobs for a first run on a large log."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from courseplatform.events import retention


class Command(BaseCommand):
    help = ("Create the interaction log's month partitions ahead (PostgreSQL; EVENTS_PARTITIONS_AHEAD) and apply "
            "EVENTS_RETENTION_DAYS / EVENTS_RETENTION_ACTION.")

    def add_arguments(self, parser):
        parser.add_argument("--partitions-only", action="store_true", help="create partitions, skip retention")
        parser.add_argument("--ahead", type=int, default=None, help="months ahead (default EVENTS_PARTITIONS_AHEAD)")
        parser.add_argument("--now", default=None, help="ISO time to act as of (default: now)")
        parser.add_argument("--batch", type=int, default=retention.BATCH, help="rows per delete/update batch")

    def handle(self, *args, partitions_only=False, ahead=None, now=None, batch=retention.BATCH, **options):
        when = None
        if now:
            when = parse_datetime(now)
            if when is None or when.tzinfo is None:
                raise CommandError("--now needs an ISO 8601 time with a time zone")
        if batch < 1:
            raise CommandError("--batch must be at least 1")
        created = retention.partitions_ensure(now=when, ahead=ahead)
        self.stdout.write(f"partitions created: {', '.join(created) or 'none'}")
        if partitions_only:
            return
        result = retention.retention_apply(now=when or dt.datetime.now(dt.UTC), batch=batch)
        if result.cutoff is None:
            self.stdout.write("retention: EVENTS_RETENTION_DAYS is 0, events are kept")
            return
        self.stdout.write(f"retention ({result.action} before {result.cutoff.isoformat()}): "
                          f"{result.anonymised} anonymised, {result.deleted} deleted, partitions dropped: "
                          f"{', '.join(result.dropped_partitions) or 'none'}")
