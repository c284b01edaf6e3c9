"""Notification tasks: deliver one outbox mail (id in, one service call, retried on a transient SMTP error),
the daily digest and the outbox sweep (beat, declared on the AppConfig)."""

from celery import shared_task

from . import services


@shared_task(name="notifications.send_email", ignore_result=True, autoretry_for=(services.MailNotSent,),
             retry_backoff=30, retry_backoff_max=1800, max_retries=8)
def send_email(outbox_id: int) -> str:
    return services.outbox_deliver(outbox_id)


@shared_task(name="notifications.send_digests", ignore_result=True)
def send_digests() -> int:
    return services.digests_send()


@shared_task(name="notifications.sweep_outbox", ignore_result=True)
def sweep_outbox() -> int:
    return services.outbox_sweep()
