"""The core alone: no theming plugin, no recommender (``DJANGO_SETTINGS_MODULE=courseplatform.settings.core``).

Proves the core knows no plugin: it checks, migrates and serves every core page with plain styling and
placeholder course images. ``make test`` runs tests/core_only under it.
"""

from .dev import *  # noqa: F403
from .dev import INSTALLED_APPS

PLUGIN_APPS = ("themes", "recommender")
INSTALLED_APPS = [app for app in INSTALLED_APPS if app not in PLUGIN_APPS]
