from django.utils import timezone

from .models import WorkerHeartbeat


def worker_heartbeats() -> dict[str, dict]:
    now = timezone.now()
    return {
        hb.queue: {"hostname": hb.hostname, "seen_s_ago": round((now - hb.seen_at).total_seconds(), 1)}
        for hb in WorkerHeartbeat.objects.all()
    }
