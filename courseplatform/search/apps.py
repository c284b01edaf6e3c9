from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "courseplatform.search"
    label = "search"
    verbose_name = _("Search and wishlist")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
