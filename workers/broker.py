"""The embedded broker's transport: kombu's filesystem transport that stops waiting once the worker shuts down.

Celery drives a transport that cannot join its event loop (this one) with a blocking loop that waits for messages
2 s at a time and, after a shutdown signal, waits once more before stopping: an idle worker took 5-8 s to stop
on SIGTERM, longer than honcho waits before it sends SIGKILL (5 s). Waiting in short slices that each check the
worker's shutdown flags makes the warm shutdown start within half a second. Used only for ``filesystem://``
(settings: ``CELERY_BROKER_TRANSPORT``); Redis has a real event loop.
"""

from time import monotonic

from celery.worker import state
from kombu.transport import filesystem

SLICE_S = 0.5


def _shutting_down() -> bool:
    """celery.worker.state.maybe_shutdown's test (the flags hold an exit code: 0 counts, by identity)."""
    return any(flag is not None and flag is not False for flag in (state.should_stop, state.should_terminate))


class Transport(filesystem.Transport):
    def drain_events(self, connection, timeout=None):
        deadline = None if timeout is None else monotonic() + timeout
        while not _shutting_down():
            left = SLICE_S if deadline is None else min(SLICE_S, deadline - monotonic())
            if left <= 0:
                break
            try:
                return super().drain_events(connection, timeout=left)
            except TimeoutError:
                continue
        raise TimeoutError()
