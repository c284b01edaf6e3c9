import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "courseplatform.search"
    label = "search"
    verbose_name = _("Search and wishlist")
    #: collected by workers/routing.py: the search log stays within SEARCH_LOG_RETENTION_DAYS
    celery_beat_schedule = {
        "prune-search-logs": {
            "task": "search.prune_logs",
            "schedule": float(os.environ.get("SEARCH_PRUNE_EVERY_S", str(6 * 60 * 60))),
        },
    }

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
