"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
application = get_asgi_application()
