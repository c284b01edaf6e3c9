"""The embedded broker (no REDIS_URL): kombu's filesystem transport under ``VAR_DIR/broker``.

A real ``celery worker`` is started with the development settings, ``CELERY_BROKER_URL=filesystem://`` and a
temporary ``VAR_DIR``, after the previous run of a worker with the same node name (the Procfile names them
``default@%h`` and ``gpu@%h``) left control messages behind: the ``shutdown`` broadcast it never read, as
kombu writes it, and a stray message file in the control folder. The worker must purge them at start-up
(``workers/signals.py``), stay up, and run a task sent through the same folders by this process.
"""

import os
import socket
import time
import uuid
from pathlib import Path

import pytest
from django.db import transaction

from courseplatform.jobs.models import WorkerHeartbeat
from tests.conftest import WorkerProcess, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _folders(var_dir: Path) -> dict:
    """The transport options courseplatform/settings/base.py derives from ``VAR_DIR`` for ``filesystem://``."""
    broker = var_dir / "broker"
    for sub in ("queue", "control"):
        (broker / sub).mkdir(parents=True, exist_ok=True)
    return {"data_folder_in": str(broker / "queue"), "data_folder_out": str(broker / "queue"),
            "control_folder": str(broker / "control"), "store_processed": False}


def _leave_a_stale_shutdown_for(nodename: str, options: dict) -> list[Path]:
    """What a previous worker called ``nodename`` leaves behind: its mailbox queue bound to the control
    exchange, and a ``shutdown`` broadcast that arrived after it died. Returns the message files written."""
    from celery import Celery

    queue = Path(options["data_folder_in"])
    before = set(queue.iterdir())
    previous = Celery("previous-run", broker="filesystem://", set_as_current=False)
    previous.conf.broker_transport_options = options
    with previous.connection_for_write() as conn:
        node = previous.control.mailbox(conn).Node(hostname=nodename, channel=conn.default_channel)
        node.listen().cancel()  # declares <nodename>.celery.pidbox and binds it to the celery.pidbox exchange
        previous.control.shutdown(connection=conn)
    return sorted(set(queue.iterdir()) - before)


@pytest.fixture
def embedded_broker(tmp_path, monkeypatch):
    """This process's Celery app sends through the filesystem transport under a temporary VAR_DIR."""
    from workers import app

    var_dir = tmp_path / "var"
    options = _folders(var_dir)
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the worker's log file (tests.conftest.WorkerProcess)
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = "filesystem://", options
    app._after_fork()  # drop pooled connections to the test broker
    try:
        yield var_dir, options
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = saved
        app._after_fork()


def _start_embedded_worker(var_dir: Path) -> WorkerProcess:
    return WorkerProcess("default", extra_env={
        "DJANGO_SETTINGS_MODULE": "courseplatform.settings.dev",  # what `make run` uses: no test overrides
        "DEBUG": "false", "VAR_DIR": str(var_dir), "REDIS_URL": "", "CELERY_BROKER_URL": "filesystem://"})


def test_embedded_broker_worker_purges_leftover_control_messages_and_runs_a_task(embedded_broker):
    from workers import app

    var_dir, options = embedded_broker
    nodename = f"test-default-{os.getpid()}@{socket.gethostname()}"  # WorkerProcess's -n for queue "default"
    stale = _leave_a_stale_shutdown_for(nodename, options)
    assert [p.name.partition(".")[2] for p in stale] == [f"{nodename}.celery.pidbox.msg"], stale
    stray = Path(options["control_folder"]) / "1_stale.shutdown.msg"
    stray.write_text('{"body": "stale"}')

    worker = _start_embedded_worker(var_dir)
    try:
        assert not stray.exists(), "the control folder's leftover message is purged at start-up"
        assert (Path(options["control_folder"]) / "celery.pidbox.exchange").exists(), "bindings are kept"
        assert "purged leftover control messages" in worker.log.read_text()

        with transaction.atomic():
            transaction.on_commit(lambda: app.send_task("jobs.heartbeat", args=["default"], queue="default"))
        beat = wait_for(lambda: WorkerHeartbeat.objects.filter(queue="default").first(), timeout=60)
        assert beat.hostname == nodename
        assert not any(p.exists() for p in stale)
        time.sleep(1)
        log = worker.log.read_text()
        assert "Got shutdown from remote" not in log, "the stale shutdown was read instead of purged"
        assert worker.proc.poll() is None, f"the worker stopped:\n{log[-3000:]}"
    finally:
        worker.stop()


def test_a_task_queued_while_no_worker_runs_survives_the_start_up_purge(embedded_broker):
    """The purge removes control messages only: queued work in the same folder is kept and then run."""
    from workers import app

    var_dir, options = embedded_broker
    with transaction.atomic():
        transaction.on_commit(lambda: app.send_task("jobs.heartbeat", args=["default"], queue="default"))
    queued = [p for p in Path(options["data_folder_in"]).iterdir() if p.name.endswith(".default.msg")]
    assert len(queued) == 1
    worker = _start_embedded_worker(var_dir)
    try:
        wait_for(lambda: WorkerHeartbeat.objects.filter(queue="default").exists(), timeout=60)
        assert not queued[0].exists()
    finally:
        worker.stop()


def test_start_up_purge_keeps_task_messages_and_live_mailboxes(tmp_path):
    """Which files the purge deletes, named as kombu's filesystem transport names them."""
    from workers.signals import STALE_CONTROL_MESSAGE_S, purge_stale_mailbox_messages

    def message(queue: str, age_s: float = 0) -> Path:
        path = tmp_path / f"{int(time.monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path.write_text("{}")
        when = time.time() - age_s
        os.utime(path, (when, when))
        return path

    old = STALE_CONTROL_MESSAGE_S + 5
    mine = message("default@host.example.com.celery.pidbox")  # this node: any age
    other_live = message("gpu@host.example.com.celery.pidbox")  # another node, fresh: it is running
    other_dead = message("gpu@old-host.celery.pidbox", age_s=old)
    orphan_reply = message("0b7e4d1c-2f7e-4d8b-9b39-3d1c3b0b9f10.reply.celery.pidbox", age_s=old)
    fresh_reply = message("9f7e4d1c-2f7e-4d8b-9b39-3d1c3b0b9f10.reply.celery.pidbox")
    tasks = [message("default", age_s=3600), message("gpu", age_s=old), message("default")]
    binding = tmp_path / "celery.pidbox.exchange"
    binding.write_text("[]")

    removed = purge_stale_mailbox_messages(tmp_path, "default@host.example.com")
    assert sorted(removed) == sorted([mine, other_dead, orphan_reply])
    assert all(p.exists() for p in [other_live, fresh_reply, binding, *tasks])
