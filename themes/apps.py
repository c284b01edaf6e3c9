from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")
    #: collected by workers/routing.py: palette optimisation runs on the GPU queue, and so does the logo's colour
    #: extraction (torch, loaded only by the engine workers)
    celery_task_routes = {"themes.run_palette_job": {"queue": "gpu"}, "themes.extract_logo_colours": {"queue": "gpu"}}

    def ready(self) -> None:
        from . import checks, experiment_arms  # noqa: F401  (system checks; the brief-defaults refit receiver)
