"""IDOR through the JSON API: another user's id (or session, or event id) put into a request body or query
string. The API takes the caller's identity from the session only, so such fields are ignored: events are
stored under the caller, the feed is the caller's, and another user's rows are never changed. (URL-level IDOR,
another creator's objects by pk or slug, is the permission matrix in test_permission_matrix.py.)"""

import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from recommender.models import FeedItem
from tests.factories import UserFactory
from tests.recommender.factories import ModelVersionFactory, catalogue

pytestmark = pytest.mark.django_db
SPOOFED = ("user", "user_id", "learner", "session_key")


def _event(course, **extra):
    return {"event_id": str(uuid.uuid4()), "type": "click", "course": course.pk, "ts": timezone.now().isoformat(),
            "context": {"surface": "home", "position": 1}, **extra}


def _post(client, events):
    return client.post("/api/events", json.dumps({"events": events}), content_type="application/json")


@pytest.fixture
def two_learners():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    clients = {}
    for user in (alice, bob):
        clients[user.username] = Client(raise_request_exception=False)
        clients[user.username].force_login(user)
    return alice, bob, clients


def test_an_event_naming_another_user_is_stored_under_the_caller(two_learners):
    alice, bob, clients = two_learners
    _cats, courses = catalogue()
    bob_session = clients["bob"].session.session_key
    spoof = {"user": bob.pk, "user_id": bob.pk, "learner": bob.pk, "session_key": bob_session}
    response = _post(clients["alice"], [_event(courses[0], **spoof), _event(courses[1], user=str(bob.pk))])
    assert response.status_code == 200, response.content
    assert response.json()["stored"] == 2
    assert Interaction.objects.filter(user=alice).count() == 2
    assert not Interaction.objects.filter(user=bob).exists()
    assert not Interaction.objects.filter(session_key=bob_session).exists()


def test_an_anonymous_event_naming_a_user_is_not_attributed_to_that_user(two_learners):
    _alice, bob, _clients = two_learners
    _cats, courses = catalogue()
    anonymous = Client(raise_request_exception=False)
    response = _post(anonymous, [_event(courses[0], user=bob.pk, user_id=bob.pk)])
    assert response.status_code == 200, response.content
    row = Interaction.objects.get()
    assert row.user is None and row.session_key == anonymous.cookies["sessionid"].value


def test_replaying_another_users_event_id_changes_nothing_of_theirs(two_learners):
    alice, bob, clients = two_learners
    _cats, courses = catalogue()
    theirs = _event(courses[0])
    assert _post(clients["bob"], [theirs]).json()["stored"] == 1
    forged = {**theirs, "type": "view", "value": 1, "course": courses[1].pk}
    body = _post(clients["alice"], [forged]).json()
    assert body["stored"] == 0 and body["duplicates"] == [theirs["event_id"]]
    row = Interaction.objects.get(event_id=theirs["event_id"])
    assert (row.user_id, row.type, row.course_id, row.value) == (bob.pk, "click", courses[0].pk, None)
    assert not Interaction.objects.filter(user=alice).exists()


def test_the_feed_ignores_another_users_id_in_the_query_string(two_learners):
    alice, bob, clients = two_learners
    _cats, courses = catalogue()
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    for user, picks in ((alice, courses[:4]), (bob, courses[4:8])):
        for rank, course in enumerate(picks, start=1):
            FeedItem.objects.create(version=version, user=user, course=course, rank=rank, score=1.0 / rank,
                                    reason_code="for_you")
    own = clients["alice"].get("/api/feed?limit=4")
    assert own.status_code == 200
    alice_ids = [item["course"]["id"] for item in own.json()["items"]]
    assert set(alice_ids) == {c.pk for c in courses[:4]}
    for param in SPOOFED[:3]:
        spoofed = clients["alice"].get(f"/api/feed?limit=4&{param}={bob.pk}")
        assert spoofed.status_code in (200, 400), spoofed.status_code
        if spoofed.status_code == 200:
            assert {item["course"]["id"] for item in spoofed.json()["items"]} == set(alice_ids), param
    assert not Interaction.objects.filter(user=bob).exists(), "no impressions logged in Bob's name"
