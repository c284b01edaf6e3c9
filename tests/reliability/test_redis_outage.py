"""Redis restarted (it keeps nothing on disk, so the queue is gone) and Redis down at dispatch.

The web tier keeps answering (catalogue, feed, /healthz, the job page), the worker reconnects on its own, and
every job that was queued still finishes once the sweeper re-dispatches it from its database row.
"""

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courseplatform.jobs import services as jobs
from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from tests.factories import CourseFactory
from themes.models import PaletteJob

from .conftest import LONG_BRIEF, SHORT_STEPS, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SHORT_BRIEF = {**LONG_BRIEF, "steps": SHORT_STEPS}


@pytest.fixture
def redis_cache(settings, private_redis):
    """The production shape: the Django cache on the same Redis as the broker (REDIS_URL)."""
    settings.CACHES = {"default": {**settings.CACHES["default"],
                                   "BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                                   "LOCATION": private_redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    return private_redis


def _sweep_later():
    """The beat-driven sweeper, run as if ``JOBS_REQUEUE_AFTER_S`` had passed."""
    from django.conf import settings

    return jobs.sweep_jobs(now=timezone.now() + timedelta(seconds=settings.JOBS_REQUEUE_AFTER_S + 1))


def _web_answers(client, creator, job=None) -> None:
    anonymous = client.__class__()
    assert anonymous.get(reverse("catalog:home")).status_code == 200
    assert anonymous.get("/api/feed").status_code == 200
    health = anonymous.get("/healthz")
    assert health.status_code == 200 and health.json()["database"] == "ok"
    if job is not None:
        client.force_login(creator)
        assert client.get(reverse("themes:palette_job", args=[job.pk])).status_code == 200


def test_redis_restart_loses_the_queue_and_every_job_still_finishes(fault_worker, redis_cache, storefront, creator,
                                                                    client):
    from themes import services

    CourseFactory(storefront=storefront)
    worker = fault_worker("gpu", pool="solo")
    # one job keeps the solo worker busy for a few seconds while the others wait in Redis
    busy, _ = services.palette_job_request(storefront=storefront, actor=creator, brief={**LONG_BRIEF, "steps": 800})
    wait_for(lambda: PaletteJob.objects.filter(pk=busy.pk, status=JobStatus.RUNNING, progress__gt=0).exists(),
             timeout=30)
    waiting = [services.palette_job_request(storefront=storefront, actor=creator,
                                            brief={**SHORT_BRIEF, "seed": seed})[0] for seed in range(1, 6)]
    assert redis_cache.queue_length("gpu") == 5, "queued behind the busy solo worker"

    redis_cache.stop()  # SHUTDOWN NOSAVE: the queued messages are gone
    _web_answers(client, creator, waiting[0])
    assert client.get("/healthz").json()["broker"].startswith("error")
    redis_cache.start()
    assert redis_cache.queue_length("gpu") == 0
    _web_answers(client, creator, waiting[0])

    # the worker reconnects by itself; the sweeper re-dispatches what the broker lost
    wait_for(lambda: "Connected to redis" in worker_log(worker).split("onnection to broker lost")[-1],
             timeout=60, interval=0.5)
    assert worker.proc.poll() is None
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        left = PaletteJob.objects.exclude(status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).count()
        if not left:
            break
        if not redis_cache.queue_length("gpu"):
            _sweep_later()  # what beat does every JOBS_SWEEP_EVERY_S
        time.sleep(1)
    jobs_after = list(PaletteJob.objects.order_by("pk"))
    assert [j.status for j in jobs_after] == [JobStatus.SUCCEEDED] * 6, (
        [(j.pk, j.status, j.reason) for j in jobs_after], worker_log(worker))
    for job in jobs_after:
        assert job.palettes.count() == job.brief["candidates"]


def test_broker_down_at_dispatch_keeps_the_job_queued_and_the_sweeper_sends_it_later(
        fault_worker, redis_cache, storefront, creator, client):
    redis_cache.stop()
    client.force_login(creator)
    started = time.monotonic()
    response = client.post(reverse("themes:palette_studio", args=[storefront.slug]), {
        "color_1": "#1e88e5", "lock_1": "on", "role_1": "primary", "keywords": "tech", "k": 5, "alpha": 1,
        "beta": 1, "gamma": 1, "candidates": 1, "seed": 3})
    assert time.monotonic() - started < 15, "a dead broker must not hang the request"
    assert response.status_code == 302, response.content[:500]
    job = PaletteJob.objects.get()
    assert response["Location"] == reverse("themes:palette_job", args=[job.pk])
    assert job.status == JobStatus.QUEUED and job.attempts == 0
    assert client.get(response["Location"]).status_code == 200

    redis_cache.start()
    worker = fault_worker("gpu", pool="solo")
    assert jobs.sweep_jobs() == {"requeued": 0, "failed": 0}, "not yet: it was queued a moment ago"
    assert _sweep_later()["requeued"] == 1
    done = wait_for(lambda: PaletteJob.objects.filter(pk=job.pk, status__in=["succeeded", "failed"]).first(),
                    timeout=120, interval=0.5)
    assert done.status == JobStatus.SUCCEEDED, f"{done.reason}\n{worker_log(worker)}"
    assert done.attempts == 1
