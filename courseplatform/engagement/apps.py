import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "courseplatform.engagement"
    label = "engagement"
    verbose_name = _("Engagement")
    #: collected by workers/routing.py: participants of challenges ending soon get one reminder each
    celery_beat_schedule = {
        "challenge-reminders": {
            "task": "engagement.challenge_reminders",
            "schedule": float(os.environ.get("ENGAGEMENT_REMINDERS_EVERY_S", "3600")),
        },
        # learners who stalled in a course of a storefront running a nudges experiment: entered once per stall
        "nudges": {
            "task": "engagement.nudges",
            "schedule": float(os.environ.get("NUDGES_EVERY_S", "3600")),
        },
    }

    def ready(self) -> None:
        from . import nudges, receivers  # noqa: F401  (the nudge notification kind; the core signals)
