"""Platform-wide tasks: worker heartbeats (per queue) and the job sweeper (beat-driven)."""

from celery import shared_task

from . import orphans, services


@shared_task(name="jobs.heartbeat", bind=True, ignore_result=True)
def heartbeat(self, queue: str) -> None:
    services.heartbeat_record(queue, self.request.hostname or "unknown")


@shared_task(name="jobs.sweep", ignore_result=True)
def sweep() -> dict:
    return services.sweep_jobs()


@shared_task(name="jobs.clean_orphaned_media", ignore_result=True)
def clean_orphaned_media() -> int:
    return orphans.orphaned_media_delete()
