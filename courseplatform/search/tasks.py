from celery import shared_task

from . import services


@shared_task(name="search.prune_logs", ignore_result=True)
def prune_logs() -> int:
    return services.search_logs_prune()
