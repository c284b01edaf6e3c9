"""The embedded broker's transport: kombu's filesystem transport that stops waiting once the worker shuts down.

Celery drives a transport that cannot join its event loop (this one) with a blocking loop that waits for messages
2 s at a time and, after a shutdown signal, waits once more before stopping: an idle worker took 5-8 s to stop
on SIGTERM, longer than honcho waits before it sends SIGKILL (5 s). Waiting in short slices that each check the
worker's shutdown flags makes the warm shutdown start within half a second. Used only for ``filesystem://``
(settings: ``CELERY_BROKER_TRANSPORT``); Redis has a real event loop.

Messages are written whole before they appear: kombu creates ``<n>_<uuid>.<queue>.msg`` and then writes it, and a
consumer polling the folder could take the still-empty file, fail to decode it and stop the worker ("Unrecoverable
error: JSONDecodeError"), and with it every process ``make run`` started. Here the message is written under a name
no queue matches and renamed into place (atomic on one filesystem).
"""

import os
import uuid
from time import monotonic

from celery.worker import state
from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SLICE_S = 0.5


def _shutting_down() -> bool:
    """celery.worker.state.maybe_shutdown's test (the flags hold an exit code: 0 counts, by identity)."""
    return any(flag is not None and flag is not False for flag in (state.should_stop, state.should_terminate))


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """kombu's name and content, written under a temporary name first (``_get`` only takes
        ``<n>_<uuid>.<queue>.msg``)."""
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"partial-{uuid.uuid4().hex}")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel

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
