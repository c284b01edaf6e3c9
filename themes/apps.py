from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the plugin system checks)
