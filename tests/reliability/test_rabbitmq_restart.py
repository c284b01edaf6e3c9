"""RabbitMQ restarted while jobs wait in its queue and one runs (``rabbitmqctl stop_app``/``start_app``).

Unlike the Redis of these machines (no persistence: tests/reliability/test_redis_outage.py), RabbitMQ keeps the
durable queue's persistent messages across the restart: the worker reconnects on its own, the running job's
unacknowledged message is delivered again, and every job finishes exactly once without the sweeper's help.
"""

import time

import pytest

from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from tests.factories import CourseFactory
from themes.models import PaletteJob

from .conftest import LONG_BRIEF, SHORT_STEPS, worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
SHORT_BRIEF = {**LONG_BRIEF, "steps": SHORT_STEPS}


@pytest.fixture
def fault_broker(private_rabbitmq):
    return private_rabbitmq


def test_rabbitmq_restart_keeps_the_queue_and_every_job_finishes_once(fault_worker, private_rabbitmq, storefront,
                                                                      creator, client):
    from themes import services

    CourseFactory(storefront=storefront)
    worker = fault_worker("gpu", pool="solo")
    # long enough to be running while the broker restarts (its late ack then fails and RabbitMQ redelivers it)
    busy, _ = services.palette_job_request(storefront=storefront, actor=creator, brief={**LONG_BRIEF, "steps": 300})
    wait_for(lambda: PaletteJob.objects.filter(pk=busy.pk, status=JobStatus.RUNNING, progress__gt=0).exists(),
             timeout=30)
    for seed in range(1, 4):
        services.palette_job_request(storefront=storefront, actor=creator, brief={**SHORT_BRIEF, "seed": seed})
    assert private_rabbitmq.queue_length("gpu") == 3, "queued behind the busy solo worker"

    private_rabbitmq.stop()
    anonymous = client.__class__()
    health = anonymous.get("/healthz")
    assert health.status_code == 200 and health.json()["broker"].startswith("error")
    private_rabbitmq.start()
    assert anonymous.get("/healthz").json()["broker"] == "ok"

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and PaletteJob.objects.exclude(
            status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).exists():
        time.sleep(0.5)
    jobs = list(PaletteJob.objects.order_by("pk"))
    assert [j.status for j in jobs] == [JobStatus.SUCCEEDED] * 4, ([(j.pk, j.status, j.reason) for j in jobs],
                                                                    worker_log(worker))
    assert [j.attempts for j in jobs[1:]] == [1, 1, 1], "the waiting jobs ran once, from the kept queue"
    for job in jobs:
        assert job.palettes.count() == job.brief["candidates"]
    assert worker.proc.poll() is None, "the worker reconnected by itself"
