"""One Celery app for the whole platform. Settings come from Django settings, namespace ``CELERY_``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
# Never initialise CUDA in a parent process (PyTorch "Multiprocessing best practices").
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")

from celery import Celery  # noqa: E402

from .routing import BEAT_SCHEDULE, TASK_ROUTES  # noqa: E402

app = Celery("courseplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_routes = TASK_ROUTES
app.conf.beat_schedule = BEAT_SCHEDULE
app.autodiscover_tasks()

from . import signals  # noqa: E402,F401  (connects worker start-up handlers)
