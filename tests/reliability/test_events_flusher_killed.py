"""SIGKILL a real worker in the middle of flushing the impressions buffer: every buffered impression ends up in
the interaction log exactly once (the killed flusher's pending entries are taken over by the next worker; an
entry it wrote but did not acknowledge is skipped by event id)."""

import time

import pytest

from courseplatform.events import buffer, services
from courseplatform.events.models import Interaction
from tests.conftest import wait_for
from tests.factories import CourseFactory, UserFactory

from .conftest import worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LISTS, PER_LIST = 1600, 25  # 40,000 impressions
FLUSH_ENV = {"EVENTS_BUFFER_BATCH": "4", "EVENTS_BUFFER_CLAIM_S": "2"}  # 100 rows a transaction: a long flush


def test_flusher_sigkilled_mid_flush_loses_and_doubles_nothing(fault_worker, private_redis, settings):
    from courseplatform.events.tasks import flush_buffer

    settings.EVENTS_BUFFER_URL = private_redis.url
    learners = [UserFactory() for _ in range(4)]
    courses = [CourseFactory() for _ in range(PER_LIST)]
    ids = [c.pk for c in courses]
    for n in range(LISTS):
        services.impressions_log(user=learners[n % 4], course_ids=ids, surface="home")
    total = LISTS * PER_LIST
    assert buffer.backlog()["entries"] == LISTS and not Interaction.objects.exists()

    env = {"EVENTS_BUFFER_URL": private_redis.url, **FLUSH_ENV}
    first = fault_worker("default", pool="solo", extra_env=env)
    flush_buffer.delay()
    wait_for(lambda: Interaction.objects.count() >= 2_000, timeout=60, interval=0.05)
    first.kill()  # os.killpg(SIGKILL): mid-flush, entries taken and not acknowledged
    stored_at_kill = Interaction.objects.count()
    assert stored_at_kill < total, "the flush finished before the kill: nothing was tested"
    assert buffer.backlog()["entries"] > 0

    second = fault_worker("default", pool="solo", extra_env=env)

    def drained() -> bool:
        if Interaction.objects.count() == total and buffer.backlog()["entries"] == 0:
            return True
        flush_buffer.delay()  # what beat does every few seconds
        time.sleep(1)
        return False

    wait_for(drained, timeout=120, interval=0.5)
    assert Interaction.objects.count() == total, worker_log(second)
    assert Interaction.objects.values("event_id").distinct().count() == total
    assert buffer.backlog() == {"entries": 0, "pending": 0}
    per_learner = Interaction.objects.filter(user=learners[0], position=1).count()
    assert per_learner == LISTS // 4  # every list of every learner, position 1 once each
