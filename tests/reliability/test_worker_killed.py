"""SIGKILL in the middle of a palette job: the whole worker, then one prefork pool child.

Pass criterion (docs guide 1.6): the job is redelivered, ends SUCCEEDED exactly once with ``attempts == 2``,
and there is exactly one set of candidate palettes. After the kill the test shortens the brief on the job's
row so that the re-run (which reads the brief from the row) takes a second instead of a minute.
"""

import time

import pytest

from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from themes.models import Palette, PaletteJob

from .conftest import (
    LONG_BRIEF,
    SHORT_STEPS,
    finished,
    kill_pid,
    pool_children,
    running_with_progress,
    worker_log,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fault_broker(either_broker):
    """Both brokers: Redis redelivers after the visibility timeout, RabbitMQ when the connection drops."""
    return either_broker


def _request_long_job(storefront, creator) -> PaletteJob:
    from themes import services

    job, created = services.palette_job_request(storefront=storefront, actor=creator, brief=dict(LONG_BRIEF))
    assert created
    return job


def _shorten(job: PaletteJob) -> None:
    PaletteJob.objects.filter(pk=job.pk).update(brief={**LONG_BRIEF, "steps": SHORT_STEPS})


def _assert_finished_once(job: PaletteJob, worker) -> None:
    done = wait_for(lambda: finished(PaletteJob, job.pk), timeout=60, interval=0.5)
    assert done.status == JobStatus.SUCCEEDED, f"{done.reason}\n{worker_log(worker)}"
    assert done.attempts == 2, done.attempts
    palettes = Palette.objects.filter(job=done)
    assert palettes.count() == LONG_BRIEF["candidates"]
    assert sorted(palettes.values_list("rank", flat=True)) == list(range(LONG_BRIEF["candidates"]))


def test_whole_worker_sigkilled_mid_job_is_redelivered_and_finishes_once(fault_worker, storefront, creator):
    first = fault_worker("gpu", pool="solo")
    job = _request_long_job(storefront, creator)
    wait_for(lambda: running_with_progress(PaletteJob, job.pk), timeout=30, interval=0.2)
    killed_at = time.monotonic()
    first.kill()  # os.killpg(SIGKILL): the whole worker, no chance to requeue anything
    _shorten(job)
    second = fault_worker("gpu", pool="solo")
    _assert_finished_once(job, second)
    # redelivered after the visibility timeout (10 s in the test settings), well within a minute
    assert time.monotonic() - killed_at < 60


def test_pool_child_sigkilled_mid_job_is_requeued_and_finishes_once(fault_worker, storefront, creator):
    worker = fault_worker("gpu", pool="prefork", concurrency=1)
    job = _request_long_job(storefront, creator)
    wait_for(lambda: running_with_progress(PaletteJob, job.pk), timeout=30, interval=0.2)
    children = pool_children(worker)
    assert len(children) == 1, children
    kill_pid(children[0])
    _shorten(job)
    _assert_finished_once(job, worker)
    assert worker.proc.poll() is None, "the worker itself survives the loss of its child"
    assert "WorkerLostError" in worker_log(worker) or "exited prematurely" in worker_log(worker)
