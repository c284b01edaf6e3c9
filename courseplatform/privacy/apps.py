from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "courseplatform.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"
    #: collected by workers/routing.py: expired archives are deleted without anyone running a command
    celery_beat_schedule = {"expire-exports": {"task": "privacy.expire_exports", "schedule": 3600.0}}

    def ready(self) -> None:
        from . import receivers  # noqa: F401  (a visitor's cookie choice follows them into their account)
