"""Thin tasks: take an id, call one service."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)


@shared_task(name="privacy.build_export", bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def build_export(self, export_id: int) -> None:
    try:
        services.export_build(export_id)
    except TRANSIENT:
        raise
    except Exception as exc:  # a bug or a storage failure: the person sees "failed" and may ask again
        services.export_fail(export_id, f"{type(exc).__name__}: {exc}")
        raise


@shared_task(name="privacy.expire_exports", ignore_result=True)
def expire_exports() -> int:
    return services.exports_expire()
