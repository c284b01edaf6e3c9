"""/healthz: database, broker and workers, as JSON (503 when the database is down)."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:  # report, don't raise: this is the health page
        return f"error: {type(error).__name__}"


def _broker() -> str:
    from workers import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception as error:
        return f"error: {type(error).__name__}"


@never_cache
@require_GET
def healthz(request):
    from courseplatform.jobs.selectors import worker_heartbeats

    database = _database()
    body = {"database": database, "broker": _broker(), "workers": {}}
    if database == "ok":
        workers = worker_heartbeats()
        if not request.user.is_staff:  # host names map the deployment: staff only
            workers = {queue: {k: v for k, v in hb.items() if k != "hostname"} for queue, hb in workers.items()}
        body["workers"] = workers
    body["status"] = "ok" if database == "ok" and body["broker"] == "ok" else "degraded"
    return JsonResponse(body, status=200 if database == "ok" else 503)
