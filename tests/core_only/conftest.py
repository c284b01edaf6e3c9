"""tests/core_only run under ``courseplatform.settings.core`` (the core without its plugin apps), as their own
pytest invocation (``make test``):

    DJANGO_SETTINGS_MODULE=courseplatform.settings.core pytest tests/core_only

Under any other settings they are not collected: they describe the platform without plugins, which is not
what the full settings run.
"""

from django.conf import settings

CORE_SETTINGS = "courseplatform.settings.core"


def pytest_ignore_collect(collection_path, config):
    return settings.SETTINGS_MODULE != CORE_SETTINGS
