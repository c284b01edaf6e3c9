"""``manage.py flush_events [--follow]``: write the buffered impressions now (what the beat task does), or keep
writing them as they arrive (a dedicated flusher process)."""

import time

from django.core.management.base import BaseCommand

from courseplatform.events import buffer, services
from courseplatform.events.tasks import consumer_name

#: a following flusher waits this long after Redis failed before it reads again
RETRY_S = 1.0


class Command(BaseCommand):
    help = "Write the impressions waiting in the events buffer (EVENTS_BUFFER_URL) to the interaction log."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep flushing as entries arrive (Ctrl-C stops)")
        parser.add_argument("--seconds", type=float, default=None,
                            help="with --follow: stop after this many seconds (for a supervisor that restarts it)")
        parser.add_argument("--batch", type=int, default=None, help="stream entries per insert")

    def handle(self, *args, follow: bool = False, seconds: float | None = None, batch: int | None = None,
               **options):
        if buffer.client() is None:
            self.stderr.write("EVENTS_BUFFER_URL is not set: impressions are written by the requests themselves.")
            return
        name, total = consumer_name(), 0
        deadline = time.monotonic() + seconds if seconds is not None else None
        try:
            while True:
                try:
                    total += services.buffer_flush(consumer=name, batch=batch, block_ms=1000 if follow else 0)
                except buffer.errors() as exc:
                    # a Redis restart or a deleted stream: entries taken and not acknowledged stay pending (or
                    # went with the stream); a follower waits and reads on rather than leaving the buffer unread
                    if not follow:
                        raise
                    self.stderr.write(f"events buffer unavailable ({exc}); retrying in {RETRY_S:g} s")
                    time.sleep(RETRY_S)
                if not follow or (deadline is not None and time.monotonic() >= deadline):
                    break
        except KeyboardInterrupt:
            pass
        self.stdout.write(f"{total} rows written; backlog {buffer.backlog()}")
