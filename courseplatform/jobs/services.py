"""Job life cycle: dispatch on commit, claim (idempotent under redelivery), progress, finish, sweep."""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from courseplatform.hooks.signals import job_failed, send_on_commit

from .models import JobStatus, TrackedJob, WorkerHeartbeat

logger = logging.getLogger(__name__)


def job_dispatch(job: TrackedJob) -> None:
    """Mark ``job`` queued and send its task once the surrounding transaction commits."""
    from workers import app

    type(job).objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, queued_at=timezone.now())
    task_name, pk = job.TASK_NAME, job.pk
    transaction.on_commit(lambda: _send(app, task_name, pk))


def _send(app, task_name: str, pk: int) -> None:
    try:
        app.send_task(task_name, args=[pk])
    except Exception:  # broker down: the row stays queued and the sweeper re-dispatches it
        logger.warning("could not send %s(%s); the sweeper will retry", task_name, pk, exc_info=True)


class JobBusy(Exception):
    """The job is running elsewhere with a fresh heartbeat; check again after ``retry_in`` seconds."""

    def __init__(self, retry_in: float):
        super().__init__(f"job is running elsewhere; check again in {retry_in:.0f} s")
        self.retry_in = retry_in


def job_claim(model: type[TrackedJob], pk: int, *, stale_after_s: float | None = None,
              raise_if_busy: bool = False) -> TrackedJob | None:
    """Move a queued job to running and return it; None if another delivery owns or finished it.

    A redelivered message (acks_late) for a job that is running with a fresh heartbeat, or already
    finished, does nothing, so a duplicate delivery never produces duplicate results.

    reliability fix (tests/reliability/test_worker_killed.py): a message redelivered because its worker or
    pool child was SIGKILLed arrives while the dead run's heartbeat still looks fresh, and used to be dropped,
    leaving the job "running" until the sweeper. Callers whose jobs heartbeat often pass ``stale_after_s``
    (a heartbeat older than that means the owner died) and ``raise_if_busy=True``: a fresh heartbeat then
    raises :class:`JobBusy`, and the task re-checks later instead of dropping the message.
    """
    window = min(model.TIME_LIMIT_S, stale_after_s) if stale_after_s else model.TIME_LIMIT_S
    now = timezone.now()
    stale_before = now - timedelta(seconds=window)
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.is_finished:
            return None
        if job.status == JobStatus.RUNNING and job.heartbeat_at and job.heartbeat_at > stale_before:
            if raise_if_busy:
                raise JobBusy((job.heartbeat_at - stale_before).total_seconds() + 1)
            return None
        if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
            _finish(job, JobStatus.FAILED, f"gave up after {job.attempts} attempts")
            return None
        now = timezone.now()
        job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
        job.attempts += 1
        job.progress = 0.0
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts", "progress"])
        return job


def job_progress(job: TrackedJob, fraction: float) -> None:
    fraction = min(max(float(fraction), 0.0), 1.0)
    job.progress = fraction
    type(job).objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        progress=fraction, heartbeat_at=timezone.now()
    )


def _finish(job: TrackedJob, status: str, reason: str = "") -> None:
    job.status, job.reason, job.finished_at = status, reason[:2000], timezone.now()
    fields = ["status", "reason", "finished_at"]
    if status == JobStatus.SUCCEEDED:
        job.progress = 1.0
        fields.append("progress")
    job.save(update_fields=fields)
    if status == JobStatus.FAILED:
        send_on_commit(job_failed, type(job), job=job)


def job_succeed(job: TrackedJob, *, device: str = "", note: str = "") -> None:
    job.device = device or job.device
    job.save(update_fields=["device"])
    _finish(job, JobStatus.SUCCEEDED, note)


def job_fail(job: TrackedJob, reason: str) -> None:
    _finish(job, JobStatus.FAILED, reason)


def tracked_job_models() -> list[type[TrackedJob]]:
    return [m for m in apps.get_models() if issubclass(m, TrackedJob) and m.TASK_NAME]


def sweep_jobs(now=None) -> dict[str, int]:
    """Re-dispatch jobs queued too long; fail jobs running past their limit without a heartbeat."""
    now = now or timezone.now()
    requeue_before = now - timedelta(seconds=settings.JOBS_REQUEUE_AFTER_S)
    counts = {"requeued": 0, "failed": 0}
    for model in tracked_job_models():
        stuck_before = now - timedelta(seconds=model.TIME_LIMIT_S)
        stuck = model.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=stuck_before)
        for job in stuck:
            if job.attempts >= settings.JOBS_MAX_ATTEMPTS:
                failed = model.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
                    status=JobStatus.FAILED,
                    finished_at=now,
                    reason=f"no progress for {model.TIME_LIMIT_S} s after {job.attempts} attempts "
                    "(worker lost or deadline exceeded)",
                )
                counts["failed"] += failed
                if failed:
                    job.refresh_from_db()
                    send_on_commit(job_failed, model, job=job)
            else:
                model.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, queued_at=now)
                job_dispatch(job)
                counts["requeued"] += 1
        for job in model.objects.filter(status=JobStatus.QUEUED, queued_at__lt=requeue_before):
            job_dispatch(job)
            counts["requeued"] += 1
    if any(counts.values()):
        logger.info("job sweep: %s", counts)
    return counts


def heartbeat_record(queue: str, hostname: str) -> None:
    WorkerHeartbeat.objects.update_or_create(queue=queue, defaults={"hostname": hostname, "seen_at": timezone.now()})
