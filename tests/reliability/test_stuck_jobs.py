"""Stuck jobs: the sweeper re-dispatches a job whose heartbeat is older than its time limit, and fails it with a
reason after ``JOBS_MAX_ATTEMPTS``; the job page then shows the failure and stops polling (never "running"
forever). A redelivery that finds the job running with a fresh heartbeat re-checks later instead of dropping it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courseplatform.jobs import services as jobs
from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from themes.models import PaletteJob

from .conftest import LONG_BRIEF, SHORT_STEPS, finished, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SHORT_BRIEF = {**LONG_BRIEF, "steps": SHORT_STEPS}


def _stuck_job(storefront, creator, *, attempts: int, seed: int = 0) -> PaletteJob:
    old = timezone.now() - timedelta(seconds=PaletteJob.TIME_LIMIT_S + 5)
    return PaletteJob.objects.create(
        storefront=storefront, requested_by=creator, brief={**SHORT_BRIEF, "seed": seed}, brief_hash=f"{seed:064d}",
        status=JobStatus.RUNNING, attempts=attempts, progress=0.4, queued_at=old, started_at=old, heartbeat_at=old)


def test_stuck_job_is_redispatched_and_finishes_on_a_live_worker(fault_worker, storefront, creator):
    job = _stuck_job(storefront, creator, attempts=1)
    worker = fault_worker("gpu", pool="solo")
    assert jobs.sweep_jobs() == {"requeued": 1, "failed": 0}
    done = wait_for(lambda: finished(PaletteJob, job.pk), timeout=60, interval=0.3)
    assert done.status == JobStatus.SUCCEEDED, f"{done.reason}\n{worker_log(worker)}"
    assert done.attempts == 2 and done.palettes.count() == SHORT_BRIEF["candidates"]


def test_stuck_job_after_max_attempts_is_failed_with_a_reason_and_the_page_says_so(
        private_redis, storefront, creator, client, settings):
    job = _stuck_job(storefront, creator, attempts=settings.JOBS_MAX_ATTEMPTS)
    client.force_login(creator)
    page = client.get(reverse("themes:palette_job", args=[job.pk])).content.decode()
    assert "Running" in page and "hx-get" in page  # polling while it looks alive

    assert jobs.sweep_jobs() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert f"no progress for {PaletteJob.TIME_LIMIT_S} s" in job.reason and "attempts" in job.reason
    assert private_redis.queue_length("gpu") == 0, "a failed job is not dispatched again"

    for name in ("themes:palette_job", "themes:palette_job_progress"):
        page = client.get(reverse(name, args=[job.pk])).content.decode()
        assert "Failed" in page and "no progress for" in page
        assert "Running" not in page and "hx-get" not in page, "a failed job page stops polling"
    assert jobs.sweep_jobs() == {"requeued": 0, "failed": 0}, "sweeping again changes nothing"


def test_a_job_queued_with_attempts_used_up_fails_at_claim(storefront, creator, settings, transactional_db):
    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=SHORT_BRIEF,
                                    brief_hash="q" * 64, attempts=settings.JOBS_MAX_ATTEMPTS)
    assert jobs.job_claim(PaletteJob, job.pk) is None
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "gave up after" in job.reason


def test_a_redelivery_while_the_job_runs_elsewhere_rechecks_after_the_heartbeat_would_be_stale(
        storefront, creator, settings, transactional_db):
    from themes import services

    job = _stuck_job(storefront, creator, attempts=1)
    PaletteJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    with pytest.raises(jobs.JobBusy) as busy:
        services.palette_job_execute(job.pk, "cpu")
    assert 0 < busy.value.retry_in <= settings.JOBS_HEARTBEAT_STALE_S + 1
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1, "the live run is left alone"
    # the owner died: once its heartbeat is stale, the next check takes the job over and finishes it once
    stale = timezone.now() - timedelta(seconds=settings.JOBS_HEARTBEAT_STALE_S + 1)
    PaletteJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert job.palettes.count() == SHORT_BRIEF["candidates"]


@pytest.mark.parametrize("error", [MemoryError(), RuntimeError("engine bug with /secret/path")],
                         ids=["MemoryError", "RuntimeError"])
def test_a_poison_job_fails_at_once_with_a_reason_and_is_not_redispatched(storefront, creator, monkeypatch, error,
                                                                        transactional_db):
    from themes import services

    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=SHORT_BRIEF,
                                    brief_hash="p" * 64)

    def crash(job, device):
        raise error

    monkeypatch.setattr(services, "_run_engine", crash)
    with pytest.raises(type(error)):  # re-raised, so the worker logs it
        services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and type(error).__name__ in job.reason
    assert "/secret/path" not in job.reason, "no internals in the reason shown to the creator"
    assert jobs.sweep_jobs(now=timezone.now() + timedelta(hours=1)) == {"requeued": 0, "failed": 0}


def test_a_database_hiccup_in_the_engine_is_left_to_the_task_retry(storefront, creator, monkeypatch,
                                                                   transactional_db):
    from django.db import OperationalError

    from themes import services

    job = PaletteJob.objects.create(storefront=storefront, requested_by=creator, brief=SHORT_BRIEF,
                                    brief_hash="d" * 64)

    def hiccup(job, device):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "_run_engine", hiccup)
    with pytest.raises(OperationalError):
        services.palette_job_execute(job.pk, "cpu")
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING, "not failed: the task's autoretry runs it again"
