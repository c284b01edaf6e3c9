from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperimentsConfig(AppConfig):
    name = "courseplatform.experiments"
    label = "experiments"
    verbose_name = _("Experiments")

    def ready(self) -> None:
        from courseplatform.events import taggers

        from .selectors import RUNNING_STOREFRONTS_KEY, event_tags

        # events are tagged with the visitor's variant, server side; its one cache read rides on the API's throttle
        taggers.register(event_tags, reads=[RUNNING_STOREFRONTS_KEY])
