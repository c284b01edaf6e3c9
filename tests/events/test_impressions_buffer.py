"""Impressions leave the request path: with ``EVENTS_BUFFER_URL`` a page or ``GET /api/feed`` appends them to a
Redis stream (no database write) and the flusher writes them in batches, each entry exactly once, even when a
flusher took entries and died before acknowledging them; without Redis the request writes them itself."""

import pytest
from django.core.cache import caches
from django.test import Client

from courseplatform.events import buffer, services
from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stream(settings, broker):
    """The buffer on the test's own Redis database (``broker`` flushed it)."""
    settings.EVENTS_BUFFER_URL = broker
    settings.EVENTS_BUFFER_CLAIM_S = 30
    yield buffer.client()
    buffer.client().delete(buffer.STREAM)
    caches.close_all()


def _log(learner, courses, surface="home"):
    return services.impressions_log(user=learner, course_ids=[c.pk for c in courses], surface=surface)


def test_a_shown_list_is_buffered_not_written_and_the_flush_writes_it_once_with_positions(stream):
    learner, courses = UserFactory(), [CourseFactory() for _ in range(5)]
    assert _log(learner, courses) == 5
    assert not Interaction.objects.exists()
    assert buffer.backlog() == {"entries": 1, "pending": 0}
    assert services.buffer_flush(consumer="a") == 5
    rows = list(Interaction.objects.order_by("position").values_list("course_id", "position", "surface", "user_id"))
    assert rows == [(c.pk, n, "home", learner.pk) for n, c in enumerate(courses, start=1)]
    assert buffer.backlog() == {"entries": 0, "pending": 0}
    assert services.buffer_flush(consumer="a") == 0


def test_the_feed_api_buffers_its_impressions(stream):
    learner = UserFactory()
    [CourseFactory(published=True) for _ in range(4)]
    client = Client()
    client.force_login(learner)
    body = client.get("/api/feed?limit=3").json()
    assert len(body["items"]) == 3 and not Interaction.objects.exists()
    assert services.buffer_flush(consumer="a") == 3
    shown = list(Interaction.objects.order_by("position").values_list("course_id", flat=True))
    assert shown == [item["course"]["id"] for item in body["items"]]


def test_entries_a_dead_flusher_took_are_written_once_by_the_next(stream, settings):
    learner, courses = UserFactory(), [CourseFactory() for _ in range(3)]
    for _ in range(4):
        _log(learner, courses)
    taken = buffer.claim("dead", count=2, idle_ms=0)  # taken, never acknowledged: the flusher died
    assert len(taken) == 2 and buffer.backlog()["pending"] == 2
    assert services.buffer_flush(consumer="next") == 6  # the two untouched entries; the dead one's are not idle
    settings.EVENTS_BUFFER_CLAIM_S = 0
    assert services.buffer_flush(consumer="next") == 6  # now taken over
    assert Interaction.objects.count() == 12 and buffer.backlog() == {"entries": 0, "pending": 0}


def test_an_entry_written_then_redelivered_stores_nothing_twice(stream, settings):
    learner, courses = UserFactory(), [CourseFactory() for _ in range(3)]
    _log(learner, courses)
    [(entry_id, rows)] = buffer.claim("crashed", count=1, idle_ms=0)
    buffer.client().xadd(buffer.STREAM, {"rows": __import__("json").dumps(rows)})  # the same rows, again
    settings.EVENTS_BUFFER_CLAIM_S = 0
    assert services.buffer_flush(consumer="next") == 3
    assert Interaction.objects.count() == 3 and buffer.backlog() == {"entries": 0, "pending": 0}


def test_rows_of_a_course_deleted_meanwhile_are_dropped_and_the_rest_written(stream):
    learner, courses = UserFactory(), [CourseFactory() for _ in range(3)]
    _log(learner, courses)
    courses[1].delete()
    assert services.buffer_flush(consumer="a") == 2
    assert buffer.backlog()["entries"] == 0


def test_without_redis_the_request_writes_its_impressions_itself(settings):
    settings.EVENTS_BUFFER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    learner, courses = UserFactory(), [CourseFactory() for _ in range(2)]
    assert _log(learner, courses) == 2
    assert Interaction.objects.filter(user=learner, type="impression").count() == 2


def test_the_flush_task_and_command_drain_the_buffer(stream):
    from django.core.management import call_command

    from courseplatform.events.tasks import flush_buffer

    learner, courses = UserFactory(), [CourseFactory() for _ in range(2)]
    _log(learner, courses)
    assert flush_buffer() == 2
    _log(learner, courses)
    call_command("flush_events")
    assert Interaction.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_following_flusher_survives_its_stream_vanishing_under_a_blocked_read_and_writes_what_comes_next(stream):
    import io
    import threading
    import time

    from django.core.management import call_command
    from django.db import connection

    learner, courses = UserFactory(), [CourseFactory() for _ in range(2)]
    err = io.StringIO()

    def follow():
        try:
            call_command("flush_events", follow=True, seconds=6, stderr=err, stdout=io.StringIO())
        finally:
            connection.close()

    flusher = threading.Thread(target=follow)
    flusher.start()
    deadline = time.monotonic() + 5
    while not any("b" in c["flags"] and c["cmd"] == "xreadgroup" for c in stream.client_list()):
        assert time.monotonic() < deadline, "the flusher never blocked on the stream"
        time.sleep(0.02)
    stream.delete(buffer.STREAM)  # a restarted Redis or a FLUSHDB: the blocked read fails with UNBLOCKED
    _log(learner, courses)
    while Interaction.objects.count() < 2 and time.monotonic() < deadline + 5:
        time.sleep(0.05)
    flusher.join(10)
    assert not flusher.is_alive()
    assert "unavailable" in err.getvalue()
    assert Interaction.objects.count() == 2
