"""Thin, idempotent tasks: take a row id, call a service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(name="themes.run_palette_job", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def run_palette_job(job_id: int, device: str = "auto") -> None:
    services.palette_job_execute(job_id, device)


@shared_task(name="themes.start_cover_batch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def start_cover_batch(batch_id: int) -> None:
    services.cover_batch_start(batch_id)


@shared_task(name="themes.render_cover_batch", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def render_cover_batch(batch_id: int, course_ids: list[int]) -> None:
    services.cover_batch_render(batch_id, course_ids)
