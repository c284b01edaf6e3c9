"""Queues, routing by task name, and the beat schedule."""

import os

from kombu import Queue

QUEUES = (Queue("default"), Queue("gpu"))

#: GPU-bound tasks go to the ``gpu`` queue (solo pool, one per GPU); everything else to ``default``.
TASK_ROUTES = {
    "themes.run_palette_job": {"queue": "gpu"},
    "recommender.train_model": {"queue": "gpu"},
    "*": {"queue": "default"},
}

_sweep_every = float(os.environ.get("JOBS_SWEEP_EVERY_S", "30"))
BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "jobs.sweep", "schedule": _sweep_every},
    "heartbeat-default": {
        "task": "jobs.heartbeat", "schedule": 30.0, "args": ("default",), "options": {"queue": "default"},
    },
    "heartbeat-gpu": {"task": "jobs.heartbeat", "schedule": 30.0, "args": ("gpu",), "options": {"queue": "gpu"}},
    "retrain-recommender": {
        "task": "recommender.schedule_training",
        "schedule": float(os.environ.get("RECOMMENDER_RETRAIN_EVERY_S", str(6 * 3600))),
    },
}
