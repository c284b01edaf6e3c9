"""The events app's seams: taggers label rows server side without the events app knowing who tags; impressions
noted while a page renders are written once the response is rendered (not for a failed page); every write is
announced on commit (the recommender drops the learner's cached feed on it)."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from courseplatform.events import buffer, services, taggers
from courseplatform.events.middleware import PendingEventsMiddleware
from courseplatform.events.models import EventType, Interaction
from courseplatform.events.signals import interactions_recorded
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagger():
    calls = []

    def tag_first_course(*, user, session_key, courses):
        calls.append(dict(courses))
        first = min(courses)
        return {first: {"experiment": "42", "variant": "B" * 80}, 10**9: {"experiment": "x", "variant": "y"}}

    taggers.register(tag_first_course)
    yield calls
    taggers.unregister(tag_first_course)


def test_a_registered_tagger_labels_server_events_it_is_asked_about_and_nothing_else(tagger):
    learner, course, other = UserFactory(), CourseFactory(), CourseFactory()
    tagged = services.record_server_event(user=learner, course=course, event_type=EventType.ENROLL, tag=True)
    plain = services.record_server_event(user=learner, course=other, event_type=EventType.COMPLETE)
    assert tagger == [{course.pk: course.storefront_id}]  # asked once, for the tagged event only
    tagged.refresh_from_db()
    assert (tagged.experiment, tagged.variant) == ("42", "B" * taggers.TAG_MAX)  # cut to the column
    assert (plain.experiment, plain.variant) == ("", "")


def test_the_first_tagger_wins_and_client_context_tags_are_ignored(tagger):
    course = CourseFactory(published=True)

    def second(*, user, session_key, courses):
        return {cid: {"experiment": "99", "variant": "Z"} for cid in courses}

    taggers.register(second)
    try:
        services.events_ingest(user=None, session_key="anon", events=[{
            "index": 0, "event_id": "0b7e4d1c-2f7e-4d8b-9b39-3d1c3b0b9f10", "type": "click", "course": course.pk,
            "ts": timezone.now(), "context": {"surface": "home", "experiment": "7", "variant": "A"}}])
    finally:
        taggers.unregister(second)
    row = Interaction.objects.get(course=course)
    assert (row.experiment, row.variant, row.session_key) == ("42", "B" * taggers.TAG_MAX, "anon")


def _request(user=None):
    request = RequestFactory().get("/")
    request.user = user if user is not None else UserFactory()
    request.session = None
    return request


def test_noted_impressions_are_written_after_the_response_and_only_once():
    learner, a, b = UserFactory(), CourseFactory(), CourseFactory()
    request = _request(learner)

    def view(req):
        buffer.note_impressions(req, course_ids=[a.pk, b.pk], surface="home")
        assert not Interaction.objects.exists()  # nothing written while the page is produced
        return HttpResponse("ok")

    PendingEventsMiddleware(view)(request)
    rows = list(Interaction.objects.order_by("position").values_list("course_id", "position", "surface", "user_id"))
    assert rows == [(a.pk, 1, "home", learner.pk), (b.pk, 2, "home", learner.pk)]
    assert services.pending_flush(request) == 0  # the notes were taken


def test_a_failed_page_logs_no_impressions():
    course = CourseFactory()

    def view(req):
        buffer.note_impressions(req, course_ids=[course.pk], surface="home")
        return HttpResponse("boom", status=500)

    PendingEventsMiddleware(view)(_request())
    assert not Interaction.objects.exists()


def test_writes_are_announced_once_committed_with_the_learner_and_the_types(django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, *, user_id, types, **kwargs):
        seen.append((user_id, types))

    interactions_recorded.connect(receiver)
    try:
        learner, course = UserFactory(), CourseFactory()
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.record_server_event(user=learner, course=course, event_type=EventType.RATE, value=4)
        assert seen == []  # not before the commit
        for callback in callbacks:
            callback()
        assert seen == [(learner.pk, frozenset({"rate"}))]
    finally:
        interactions_recorded.disconnect(receiver)
