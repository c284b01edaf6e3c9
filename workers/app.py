"""One Celery app for the whole platform. Settings come from Django settings, namespace ``CELERY_``."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
# Never initialise CUDA in a parent process (PyTorch "Multiprocessing best practices").
os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")

from celery import Celery  # noqa: E402

from .routing import BeatSchedule, route_task  # noqa: E402

app = Celery("courseplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_routes = (route_task,)  # each installed app declares its routes (workers/routing.py)
app.conf.beat_schedule = BeatSchedule()
app.autodiscover_tasks()

from . import signals  # noqa: E402,F401  (connects worker start-up handlers)
