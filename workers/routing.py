"""Queues, routing by task name and the beat schedule, collected from the installed apps.

Workers know no plugin: each Django app declares what it needs on its ``AppConfig``:

* ``celery_task_routes``: ``{task name: {"queue": …}}`` (GPU-bound tasks go to ``gpu``);
* ``celery_beat_schedule``: beat entries, ``{entry name: {"task": …, "schedule": seconds, …}}``.

Anything not routed goes to ``default``. Both are read when first needed (after Django's app registry is ready),
so removing an app from ``INSTALLED_APPS`` removes its routes and periodic tasks.
"""

import os
from collections.abc import Iterator, Mapping

from django.apps import apps
from kombu import Queue

QUEUES = (Queue("default"), Queue("gpu"))
DEFAULT_ROUTE = {"queue": "default"}

#: the workers' own periodic tasks: the job sweeper and one heartbeat per queue (courseplatform.jobs)
_sweep_every = float(os.environ.get("JOBS_SWEEP_EVERY_S", "30"))
WORKER_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "jobs.sweep", "schedule": _sweep_every},
    "heartbeat-default": {
        "task": "jobs.heartbeat", "schedule": 30.0, "args": ("default",), "options": {"queue": "default"},
    },
    "heartbeat-gpu": {"task": "jobs.heartbeat", "schedule": 30.0, "args": ("gpu",), "options": {"queue": "gpu"}},
}


def task_routes() -> dict[str, dict]:
    """``{task name: route}`` declared by the installed apps."""
    routes: dict[str, dict] = {}
    for config in apps.get_app_configs():
        routes.update(getattr(config, "celery_task_routes", None) or {})
    return routes


def beat_schedule() -> dict[str, dict]:
    """The workers' entries, then every installed app's ``celery_beat_schedule``."""
    schedule = dict(WORKER_BEAT_SCHEDULE)
    for config in apps.get_app_configs():
        schedule.update(getattr(config, "celery_beat_schedule", None) or {})
    return schedule


def route_task(name, args=None, kwargs=None, options=None, task=None, **kw) -> dict:
    """Celery router (``task_routes``): the route an installed app declared for ``name``, else ``default``. A
    copy: Celery expands the queue name in the dict it is given."""
    return dict(task_routes().get(name, DEFAULT_ROUTE))


class BeatSchedule(Mapping):
    """``beat_schedule`` evaluated when beat reads it (after Django is set up), not when workers is imported."""

    def _entries(self) -> dict[str, dict]:
        return beat_schedule()

    def __getitem__(self, key: str) -> dict:
        return self._entries()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries())

    def __len__(self) -> int:
        return len(self._entries())
