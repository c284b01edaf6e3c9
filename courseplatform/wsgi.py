"""WSGI entry point (gunicorn courseplatform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
application = get_wsgi_application()

# A server's first search must not wait for the Chinese segmenter's dictionary.
from courseplatform.search.text import warm_up  # noqa: E402

warm_up()
