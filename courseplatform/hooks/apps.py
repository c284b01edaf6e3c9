from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HooksConfig(AppConfig):
    name = "courseplatform.hooks"
    label = "platform_hooks"
    verbose_name = _("Platform hooks")
