"""Recommender tasks: thin callers of :mod:`recommender.training` and :mod:`recommender.services`.

``recommender.train_model`` runs on the ``gpu`` queue (``RecommenderConfig.celery_task_routes``, collected by
``workers/routing.py``). It claims its ``TrainingRun`` row first, so a redelivered message (acks_late) for a
running or finished run does nothing.
Torch is imported inside the task body only (through the engine), never at module level.
"""

import logging
import threading
import time

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone

from courseplatform.jobs.models import JobStatus
from courseplatform.jobs.services import JobBusy, job_claim, job_fail, job_progress, job_succeed
from workers.devices import OOM_NOTE, run_on_device

from . import services, training
from .models import ModelVersion, TrainingRun

logger = logging.getLogger(__name__)

BUSY_RECHECKS = 20


def _stale_after_s() -> float:
    return float(settings.JOBS_HEARTBEAT_STALE_S)


class _Heartbeat(threading.Thread):
    """Keeps a running run's heartbeat fresh while the engine fits (it reports no progress meanwhile), so a
    redelivery after a killed worker can tell a live run from a dead one. It stops at the run's time limit,
    so an engine stuck past its deadline still goes stale and the sweeper fails the run."""

    def __init__(self, run_id: int) -> None:
        super().__init__(name=f"heartbeat-training-run-{run_id}", daemon=True)
        self.run_id, self.done = run_id, threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + TrainingRun.TIME_LIMIT_S
        try:
            while not self.done.wait(max(_stale_after_s() / 3, 0.5)) and time.monotonic() < deadline:
                try:
                    TrainingRun.objects.filter(pk=self.run_id, status=JobStatus.RUNNING).update(
                        heartbeat_at=timezone.now())
                except DatabaseError:  # e.g. SQLite busy during a bulk insert: the next beat will do
                    logger.debug("heartbeat of training run %s skipped", self.run_id, exc_info=True)
        finally:
            connection.close()  # this thread's own connection


@shared_task(name="recommender.train_model", bind=True, ignore_result=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=60,
             max_retries=5)
def train_model(self, run_id: int) -> None:
    try:
        run = job_claim(TrainingRun, run_id, stale_after_s=_stale_after_s(), raise_if_busy=True)
    except JobBusy as busy:
        # a redelivery while the run's heartbeat is fresh: check again once it would be stale (the other
        # delivery has finished or beaten by then; if its worker died, this delivery takes the run over)
        raise self.retry(countdown=busy.retry_in, max_retries=BUSY_RECHECKS) from None
    if run is None:
        return
    heartbeat = _Heartbeat(run.pk)
    heartbeat.start()
    try:
        _train(run, run_id)
    finally:
        heartbeat.done.set()
        heartbeat.join(timeout=30)


def _train(run: TrainingRun, run_id: int) -> None:
    def progress(fraction: float) -> None:
        job_progress(run, fraction)

    def attempt(device: str):
        TrainingRun.objects.filter(pk=run.pk).update(device=device)
        return training.training_run_execute(run, device=device, progress=progress)

    fallback: list[str] = []

    def on_fallback(note: str) -> None:
        fallback.append(note)
        run.refresh_from_db()
        TrainingRun.objects.filter(pk=run.pk).update(fallback_note=note)

    try:  # on CUDA out of memory the run is fitted again on the CPU (workers.devices)
        outcome = run_on_device(attempt, "auto", on_fallback=on_fallback)
    except (OperationalError, InterfaceError):
        TrainingRun.objects.filter(pk=run.pk).update(status="queued")  # retried by Celery, then re-claimed
        raise
    except training.TrainingError as exc:
        job_fail(run, "; then ".join([*fallback, str(exc)]))
        return
    except Exception as exc:
        logger.exception("training run %s failed%s", run_id, " on CPU too" if fallback else "")
        job_fail(run, "; then ".join([*fallback, f"{type(exc).__name__}: {exc}"]))
        return
    version, _activated, note = outcome.result
    fallback_note = OOM_NOTE if outcome.note == OOM_NOTE else ""
    run.version, run.fallback_note = version, fallback_note
    run.save(update_fields=["version", "fallback_note"])
    job_succeed(run, device=outcome.device, note="; ".join(x for x in (fallback_note, note) if x))


@shared_task(name="recommender.schedule_training", ignore_result=True)
def schedule_training() -> int | None:
    run = services.training_schedule()
    return run.pk if run is not None else None


@shared_task(name="recommender.materialise_feeds", ignore_result=True,
             autoretry_for=(OperationalError, InterfaceError), retry_backoff=True, retry_backoff_max=60, max_retries=5)
def materialise_feeds(version_id: int, activate: bool = False, actor_id: int | None = None) -> None:
    """Rebuild a version's feed rows from its artifact when they were pruned, then activate it if asked.

    Runs on the ``default`` queue (CPU). Idempotent: rows that exist are kept; activating twice is a no-op.
    """
    version = ModelVersion.objects.filter(pk=version_id).first()
    if version is None or not version.is_servable:
        return
    if version.feed_count == 0:
        training.rematerialise(version)
    if activate:
        actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
        services.version_activate(version=version, actor=actor, note="feeds rebuilt, then activated")
