import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "courseplatform.events"
    label = "events"
    verbose_name = _("Events")
    #: collected by workers/routing.py: the impressions buffer is drained every few seconds; a tick not taken
    #: before the next one is dropped (the next drains the same stream)
    _every = float(os.environ.get("EVENTS_FLUSH_EVERY_S", "2"))
    celery_beat_schedule = {
        "flush-events-buffer": {"task": "events.flush_buffer", "schedule": _every,
                                "options": {"expires": max(_every, 1.0)}},
        # month partitions ahead (PostgreSQL) and the retention period (retention.py)
        "maintain-events": {"task": "events.maintain",
                            "schedule": float(os.environ.get("EVENTS_MAINTAIN_EVERY_S", "3600"))},
    }
