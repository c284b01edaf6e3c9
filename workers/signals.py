"""Worker start-up: pool processes leave the worker's process group; start-up objects are frozen out of the
garbage collector once the worker is ready; on the embedded filesystem broker, leftover control (pidbox) messages
are purged.

A supervisor that signals a worker's whole process group (honcho on Ctrl-C, ``kill -- -PGID``) used to SIGTERM the
prefork pool processes along with the main process. One killed while holding the pool's queue lock left the main
process deadlocked at exit (billiard's ``_help_stuff_finish``), so honcho had to SIGKILL it. In their own group the
pool processes get no such signal; the main process's warm shutdown stops them in order (they still die with it:
celery sets ``PR_SET_PDEATHSIG``).

kombu's filesystem transport keeps the exchange bindings in the control folder (``<exchange>.exchange``) and
writes every message, control broadcasts included, into the queue folder as
``<time>_<uuid>.<queue>.msg``. A worker's mailbox queue is ``<nodename>.celery.pidbox`` and stays bound to the
``celery.pidbox`` exchange after the worker dies, so a ``shutdown`` broadcast sent after that is kept for it;
the next worker with the same node name (the Procfile's ``default@%h``, ``gpu@%h``) would read it and stop at
once (treeverse/dvc#10427). At start-up we therefore delete the messages addressed to this node's mailbox and
control messages (replies included) older than a minute, which no live mailbox leaves unread. Task messages
and the bindings of other, running workers are kept, so queued work survives a restart.
"""

import gc
import logging
import os
import shutil
import time
from pathlib import Path

from celery.signals import worker_init, worker_process_init, worker_ready

logger = logging.getLogger(__name__)

#: a live worker or ``celery inspect`` reads its control messages within seconds; older ones are orphans
STALE_CONTROL_MESSAGE_S = 60


def _queue_of(filename: str) -> str:
    """``<time>_<uuid>.<queue>.msg`` -> ``<queue>`` (kombu's filesystem transport naming)."""
    return filename.partition(".")[2].removesuffix(".msg")


def purge_stale_mailbox_messages(folder: Path, nodename: str, namespace: str = "celery",
                                 now: float | None = None) -> list[Path]:
    """Delete this node's leftover mailbox messages and orphaned control messages in ``folder``."""
    own, suffix = f"{nodename}.{namespace}.pidbox", f".{namespace}.pidbox"
    cutoff = (time.time() if now is None else now) - STALE_CONTROL_MESSAGE_S
    removed = []
    for entry in folder.iterdir():
        if not entry.name.endswith(".msg"):
            continue
        queue = _queue_of(entry.name)
        if not queue.endswith(suffix):
            continue  # a task message: kept
        try:
            if queue == own or entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed.append(entry)
        except FileNotFoundError:  # read or purged by another worker meanwhile
            continue
    return removed


@worker_ready.connect
def freeze_start_up_objects(**kwargs) -> None:
    """What start-up loaded (Django, torch, every app) lives as long as the worker: collect once, then move it out
    of the collector's reach (``gc.freeze``). Collections skip it from then on, the last one at exit included,
    which took 2-3 s and kept a stopping worker past honcho's 5 s."""
    gc.collect()
    gc.freeze()


@worker_process_init.connect
def leave_the_worker_process_group(**kwargs) -> None:
    if os.getpgrp() != os.getpid():  # a pool process (the solo pool runs this in the main process: keep it)
        os.setpgid(0, 0)


@worker_init.connect
def purge_filesystem_control_messages(sender=None, **kwargs) -> None:
    app = getattr(sender, "app", None)
    if app is None or not str(app.conf.broker_url).startswith("filesystem://"):
        return
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    control = options.get("control_folder")
    if control:
        for entry in Path(control).iterdir():
            if entry.is_file() and entry.suffix == ".msg":
                entry.unlink(missing_ok=True)
            elif entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
    removed = []
    nodename = getattr(sender, "hostname", None)
    namespace = getattr(app.conf, "control_exchange", None) or "celery"
    for key in ("data_folder_in", "data_folder_out"):
        folder = options.get(key)
        if folder and nodename:
            removed += purge_stale_mailbox_messages(Path(folder), nodename, namespace)
    logger.info("purged leftover control messages in %s (%d stale mailbox messages for %s and orphans)",
                control, len(removed), nodename)
