import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "courseplatform.jobs"
    label = "jobs"
    verbose_name = _("Background jobs")
    #: collected by workers/routing.py: files no row references are deleted daily
    celery_beat_schedule = {
        "clean-orphaned-media": {
            "task": "jobs.clean_orphaned_media",
            "schedule": float(os.environ.get("MEDIA_ORPHAN_CLEAN_EVERY_S", str(24 * 60 * 60))),
        },
    }
