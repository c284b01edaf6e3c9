"""Keep the cyclic garbage collector's full passes out of the web's tail latency.

A web process holds about 130,000 container objects once Django and every app are loaded, and about 30,000 more
once its first requests have imported what loads lazily (views' modules, renderers, translation and template
caches). A full collection walks every one of them with the GIL held, so every request in flight in that process
waits: 15-22 ms of CPU each, several times a minute, and 60-130 ms of wall time on a loaded machine (gc callbacks
in the workers under ``bench/load.py``; on a quiet machine the open-loop p99 did not move measurably).
These objects live as long as the process. So, as Instagram did for its Django web servers ("Dismissing Python
Garbage Collection at Instagram", 2017) and as CPython documents for ``gc.freeze`` ("move all objects tracked by the
garbage collector into a permanent generation, i.e. ignore them in all the future collections"), a web process
collects once and freezes them: at start-up and again after its first requests. Full collections then walk only
what requests leave behind (about 1 ms). The Celery workers do the same at start-up (``workers.signals``).

What a request in flight holds at the second freeze (that request's, and other threads' in a gthread worker) is
frozen too, garbage or not: a bounded, one-time cost (about 1,300 objects measured in a 4-thread worker).

Gunicorn calls :func:`arm` from ``gunicorn.conf.py`` (its ``post_worker_init`` hook, in each worker process);
``WEB_GC_FREEZE_AFTER_REQUESTS`` below 0 turns it off (to measure without it).
"""

from __future__ import annotations

import gc
import threading

from django.conf import settings
from django.core.signals import request_finished

_lock = threading.Lock()
_left = 0
DEFAULT_AFTER_REQUESTS = 200


def freeze() -> None:
    """Collect what is garbage now, then move every object left out of the collector's reach."""
    gc.collect()
    gc.freeze()


def arm(after_requests: int | None = None) -> None:
    """Freeze what start-up loaded now, and again once this process has finished ``after_requests`` requests
    (``WEB_GC_FREEZE_AFTER_REQUESTS``; 0: only now; below 0: never)."""
    global _left
    if after_requests is None:
        after_requests = getattr(settings, "WEB_GC_FREEZE_AFTER_REQUESTS", DEFAULT_AFTER_REQUESTS)
    if after_requests < 0:
        return
    freeze()
    with _lock:
        _left = after_requests
    if after_requests > 0:
        request_finished.connect(_count, dispatch_uid="web_gc")


def _count(**kwargs: object) -> None:
    global _left
    with _lock:
        _left -= 1
        due = _left == 0
    if due:
        request_finished.disconnect(dispatch_uid="web_gc")
        freeze()
