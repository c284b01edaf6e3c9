"""System checks for theme plugins: a broken plugin is reported here instead of taking the site down."""

from django.conf import settings
from django.core.checks import Error, register
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from .plugins import SECTIONS, THEME_PRESETS, load_plugins


@register("themes")
def check_theme_plugins(app_configs=None, **kwargs):
    errors = [
        Error(problem.message, hint="Fix or remove it in settings.THEMES_PLUGINS.", obj=problem.plugin, id=problem.code)
        for problem in load_plugins(getattr(settings, "THEMES_PLUGINS", []))
    ]
    for plugin in [*THEME_PRESETS.all(), *SECTIONS.all()]:
        try:
            get_template(plugin.template)
        except TemplateDoesNotExist:
            errors.append(Error(f"plugin {plugin.slug!r} names a template that does not exist: {plugin.template!r}",
                                obj=plugin.slug, id="themes.E003"))
    return errors
