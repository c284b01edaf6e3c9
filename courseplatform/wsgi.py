"""WSGI entry point (gunicorn courseplatform.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
application = get_wsgi_application()
