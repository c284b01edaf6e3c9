"""A task round trip through a real worker process on a real Redis broker."""

import pytest
from django.db import transaction

from courseplatform.jobs.models import WorkerHeartbeat
from tests.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_heartbeat_task_round_trips_through_a_real_worker(start_worker):
    from workers import app

    start_worker("default")
    with transaction.atomic():
        transaction.on_commit(lambda: app.send_task("jobs.heartbeat", args=["default"], queue="default"))
    beat = wait_for(lambda: WorkerHeartbeat.objects.filter(queue="default").first(), timeout=60)
    assert beat.hostname.startswith("test-default")


def test_tasks_are_routed_by_name():
    from workers import app

    router = app.amqp.router
    assert router.route({}, "themes.run_palette_job")["queue"].name == "gpu"
    assert router.route({}, "recommender.train_model")["queue"].name == "gpu"
    assert router.route({}, "jobs.sweep")["queue"].name == "default"


def test_reliability_settings_are_on():
    from workers import app

    conf = app.conf
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json" and conf.accept_content == ["json"]
    assert conf.task_soft_time_limit < conf.task_time_limit
