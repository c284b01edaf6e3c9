import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "courseplatform.notifications"
    label = "notifications"
    verbose_name = _("Notifications")
    default_auto_field = "django.db.models.BigAutoField"
    #: collected by workers/routing.py: the daily digest, and re-dispatch of mails whose message the broker lost
    celery_beat_schedule = {
        "notifications-digest": {
            "task": "notifications.send_digests",
            "schedule": float(os.environ.get("NOTIFICATIONS_DIGEST_EVERY_S", str(24 * 3600))),
        },
        "notifications-sweep-outbox": {
            "task": "notifications.sweep_outbox",
            "schedule": float(os.environ.get("NOTIFICATIONS_SWEEP_EVERY_S", "120")),
        },
    }

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (connects the core signals that notify people)
