"""``manage.py flush_events [--follow]``: write the buffered impressions now (what the beat task does), or keep
writing them as they arrive (a dedicated flusher process)."""

from django.core.management.base import BaseCommand

from courseplatform.events import buffer, services
from courseplatform.events.tasks import consumer_name


class Command(BaseCommand):
    help = "Write the impressions waiting in the events buffer (EVENTS_BUFFER_URL) to the interaction log."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep flushing as entries arrive (Ctrl-C stops)")
        parser.add_argument("--batch", type=int, default=None, help="stream entries per insert")

    def handle(self, *args, follow: bool = False, batch: int | None = None, **options):
        if buffer.client() is None:
            self.stderr.write("EVENTS_BUFFER_URL is not set: impressions are written by the requests themselves.")
            return
        name, total = consumer_name(), 0
        try:
            while True:
                total += services.buffer_flush(consumer=name, batch=batch, block_ms=1000 if follow else 0)
                if not follow:
                    break
        except KeyboardInterrupt:
            pass
        self.stdout.write(f"{total} rows written; backlog {buffer.backlog()}")
