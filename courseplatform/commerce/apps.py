import os

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommerceConfig(AppConfig):
    name = "courseplatform.commerce"
    label = "commerce"
    verbose_name = _("Commerce")
    default_auto_field = "django.db.models.BigAutoField"
    #: collected by workers/routing.py: abandoned checkouts expire without anyone running a command
    celery_beat_schedule = {
        "expire-orders": {
            "task": "commerce.expire_orders",
            "schedule": float(os.environ.get("COMMERCE_EXPIRE_EVERY_S", "300")),
        },
    }

    def ready(self) -> None:
        from . import checks, receivers  # noqa: F401  (registers the deploy check; connects the receivers)
