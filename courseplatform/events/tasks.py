"""The events buffer's flusher: impressions noted by web requests are written in batches here."""

import os
import socket

from celery import shared_task

from . import retention, services


def consumer_name() -> str:
    """This process's name in the buffer's consumer group (a dead one's entries are taken over by name)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@shared_task(name="events.flush_buffer", ignore_result=True, acks_late=True)
def flush_buffer() -> int:
    """Drain the impressions buffer (beat, every ``EVENTS_FLUSH_EVERY_S``); idempotent, safe to run twice."""
    return services.buffer_flush(consumer=consumer_name())


@shared_task(name="events.maintain", ignore_result=True)
def maintain() -> dict:
    """Month partitions ahead and the retention period (beat, every ``EVENTS_MAINTAIN_EVERY_S``)."""
    return retention.log_maintain()
