"""Thin, idempotent tasks: take a row id, call a service."""

from celery import shared_task
from celery.signals import worker_process_init
from django.db import InterfaceError, OperationalError

from courseplatform.jobs.services import JobBusy

from . import services
from .covers.warm import warm_up

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


#: how many times a delivery that found the job running elsewhere checks again (reliability fix)
BUSY_RECHECKS = 100


@shared_task(name="themes.run_palette_job", bind=True, autoretry_for=TRANSIENT, retry_backoff=True,
             max_retries=5)
def run_palette_job(self, job_id: int, device: str = "auto") -> None:
    try:
        services.palette_job_execute(job_id, device)
    except JobBusy as busy:
        # reliability fix (tests/reliability/test_worker_killed.py): a redelivery that finds the job running
        # with a fresh heartbeat checks again once the heartbeat would be stale: if the other run is alive it
        # has finished or heartbeated by then (nothing happens), if it died this delivery takes the job over.
        raise self.retry(countdown=busy.retry_in, max_retries=BUSY_RECHECKS) from None


@worker_process_init.connect
def warm_cover_renderer(**kwargs) -> None:
    """Each pool process opens the cover fonts and probes their common glyphs once, before its first chunk."""
    warm_up()


@shared_task(name="themes.start_cover_batch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def start_cover_batch(batch_id: int) -> None:
    services.cover_batch_start(batch_id)


@shared_task(name="themes.render_cover_batch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def render_cover_batch(batch_id: int, course_ids: list[int]) -> None:
    services.cover_batch_render(batch_id, course_ids)


@shared_task(name="themes.extract_logo_colours", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def extract_logo_colours(row_id: int) -> None:
    services.logo_colours_extract(row_id)
