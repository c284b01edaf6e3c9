"""POST /api/events: validation, idempotency, rate limit, CSRF and database outages."""

import json
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/api/events"


def event(target, **overrides):
    e = {"event_id": str(uuid.uuid4()), "type": "click", "course": target.pk,
         "ts": timezone.now().isoformat(), "context": {"surface": "home", "position": 1}}
    e.update(overrides)
    return e


def post(client, payload, **extra):
    body = payload if isinstance(payload, str | bytes) else json.dumps(payload)
    return client.post(URL, body, content_type="application/json", **extra)


@pytest.fixture
def course():
    return CourseFactory()


@pytest.fixture
def learner_client():
    user = UserFactory()
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def test_a_valid_batch_is_stored_for_the_logged_in_learner(learner_client, course):
    events = [event(course), event(course, type="impression", value=4), event(course, type="view")]
    response = post(learner_client, {"events": events})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stored"] == 3 and body["refused"] == [] and len(body["accepted"]) == 3
    rows = Interaction.objects.filter(user=learner_client.user)
    assert rows.count() == 3
    shown = rows.get(type="impression")
    assert shown.value == 4 and shown.surface == "home" and shown.position == 1


@pytest.mark.parametrize("kind", ["enroll", "complete", "rate", "wishlist", "purchase"])
def test_clients_cannot_post_outcome_events_only_the_server_logs_them(learner_client, course, kind):
    response = post(learner_client, {"events": [event(course, type=kind, value=5)]})
    assert response.status_code == 400
    refused = response.json()["refused"]
    assert "type" in refused[0]["errors"] and "logged by the site" in refused[0]["errors"]["type"][0]
    assert not Interaction.objects.exists()


def test_retrying_a_batch_stores_nothing_twice(learner_client, course):
    events = [event(course), event(course, type="view")]
    first = post(learner_client, {"events": events}).json()
    second = post(learner_client, {"events": events}).json()
    assert first["stored"] == 2 and second["stored"] == 0
    assert sorted(second["duplicates"]) == sorted(e["event_id"] for e in events)
    assert Interaction.objects.count() == 2
    # the same id twice inside one batch is stored once as well
    again = event(course)
    body = post(learner_client, {"events": [again, again]}).json()
    assert body["stored"] == 1 and body["duplicates"] == [again["event_id"]]


def test_anonymous_events_are_stored_under_a_new_session(client, course):
    response = post(client, {"events": [event(course)]})
    assert response.status_code == 200
    row = Interaction.objects.get()
    assert row.user is None and row.session_key and client.cookies["sessionid"].value == row.session_key


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"event_id": "not-a-uuid"}, "event_id"),
        ({"type": "purchase"}, "type"),
        ({"course": "twelve"}, "course"),
        ({"course": -3}, "course"),
        ({"ts": "yesterday"}, "ts"),
        ({"ts": (timezone.now() + timedelta(hours=2)).isoformat()}, "ts"),
        ({"ts": (timezone.now() - timedelta(days=90)).isoformat()}, "ts"),
        ({"type": "rate", "value": 4}, "type"),
        ({"type": "enroll"}, "type"),
        ({"value": 1e9}, "value"),
        ({"value": "high"}, "value"),
        ({"context": {"surface": "<script>"}}, "context.surface"),
        ({"context": {"surface": "home", "position": 0}}, "context.position"),
        ({"context": {"surface": "home", "experiment": "x" * 65}}, "context.experiment"),
        ({"context": "home"}, "context.non_field_errors"),
    ],
)
def test_each_bad_field_is_refused_with_its_reason(learner_client, course, overrides, field):
    good, bad = event(course), event(course, **overrides)
    response = post(learner_client, {"events": [good, bad]})
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == [good["event_id"]]
    assert [r["index"] for r in body["refused"]] == [1]
    assert field in body["refused"][0]["errors"], body["refused"][0]["errors"]
    assert Interaction.objects.count() == 1


def test_missing_fields_and_wrong_types(learner_client, course):
    e = event(course)
    del e["context"]
    response = post(learner_client, {"events": [e, "not an object", 42]})
    assert response.status_code == 400
    refused = response.json()["refused"]
    assert "context" in refused[0]["errors"]
    assert "non_field_errors" in refused[1]["errors"] and "non_field_errors" in refused[2]["errors"]


def test_unknown_and_unpublished_courses_are_refused(learner_client, course):
    hidden = CourseFactory(published=False)
    response = post(learner_client, {"events": [event(course), event(course, course=999_999),
                                                event(hidden)]})
    body = response.json()
    assert response.status_code == 200 and body["stored"] == 1
    assert [(r["index"], list(r["errors"])) for r in body["refused"]] == [(1, ["course"]), (2, ["course"])]


def test_a_wholly_bad_batch_is_a_400_with_per_event_errors(learner_client, course):
    response = post(learner_client, {"events": [event(course, type="nope"), event(course, course=0)]})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and [r["index"] for r in body["refused"]] == [0, 1]
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize("payload", ["{not json", "[]", '{"events": []}', '{"events": "x"}', '{"other": 1}', "null"])
def test_malformed_bodies_are_400(learner_client, payload):
    response = post(learner_client, payload)
    assert response.status_code == 400
    assert "detail" in response.json()


def test_more_than_500_events_is_a_400(learner_client, course):
    response = post(learner_client, {"events": [event(course) for _ in range(501)]})
    assert response.status_code == 400
    assert "500" in response.json()["detail"]
    assert Interaction.objects.count() == 0


def test_500_events_are_bulk_inserted(learner_client, course):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    events = [event(course) for _ in range(500)]
    with CaptureQueriesContext(connection) as ctx:
        response = post(learner_client, {"events": events})
    assert response.json()["stored"] == 500
    inserts = [q for q in ctx.captured_queries if "INSERT" in q["sql"] and "recommender_interaction" in q["sql"]]
    # one statement on PostgreSQL; SQLite's bound-parameter limit splits it into a few batches
    assert 1 <= len(inserts) <= 8
    # constant per batch: session, throttle, experiment lookup per storefront, the running interleaving test
    # (a cache read; on a miss with the test's database cache also its query and the cache write)
    assert len(ctx.captured_queries) <= 38


def test_rate_limit_answers_429_with_retry_after(learner_client, course, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "3/min", "feed": "100/min"}}
    codes = [post(learner_client, {"events": [event(course)]}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    response = post(learner_client, {"events": [event(course)]})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # another client has its own budget
    other = Client()
    other.force_login(UserFactory())
    assert post(other, {"events": [event(course)]}).status_code == 200


def test_database_outage_is_a_503_with_retry_after_and_the_retry_is_idempotent(learner_client, course):
    events = [event(course), event(course)]
    # the insert itself fails (PostgreSQL: INSERT … ON CONFLICT … RETURNING; SQLite: bulk_create)
    with mock.patch("courseplatform.events.services._insert_events", side_effect=OperationalError("connection refused")):
        response = post(learner_client, {"events": events})
    assert response.status_code == 503 and response["Retry-After"] == "5"
    assert Interaction.objects.count() == 0
    assert post(learner_client, {"events": events}).json()["stored"] == 2
    assert post(learner_client, {"events": events}).json()["stored"] == 0
    assert Interaction.objects.count() == 2


def test_csrf_is_enforced_for_learners_and_anonymous_sessions(course):
    for logged_in in (True, False):
        client = Client(enforce_csrf_checks=True)
        if logged_in:
            client.force_login(UserFactory())
        assert post(client, {"events": [event(course)]}).status_code == 403
        client.get("/api/feed")  # sets the csrftoken cookie
        token = client.cookies["csrftoken"].value
        response = post(client, {"events": [event(course)]}, HTTP_X_CSRFTOKEN=token)
        assert response.status_code == 200, response.content


def test_server_side_enrolment_is_logged(course):
    from courseplatform.catalog.services import enroll

    learner = UserFactory()
    course.price = 0  # free: enrolled without an order
    course.save(update_fields=["price"])
    enroll(learner=learner, course=course)
    assert Interaction.objects.filter(user=learner, course=course, type="enroll").exists()


def test_a_spoofed_forwarded_for_header_does_not_reset_the_budget(client, course, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "2/min", "feed": "100/min"}}
    codes = [post(client, {"events": [event(course)]}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
             for n in range(3)]
    assert codes == [200, 200, 429]


def test_a_body_over_the_size_cap_is_a_400_not_a_500(learner_client, course):
    padding = "x" * (300 * 1024)
    response = post(learner_client, {"events": [event(course)], "padding": padding})
    assert response.status_code == 400
    assert Interaction.objects.count() == 0


def test_the_feed_answers_503_when_the_database_is_down(learner_client):
    with mock.patch("recommender.selectors.active_version_info", side_effect=OperationalError("gone")):
        response = learner_client.get("/api/feed")
    assert response.status_code == 503 and response["Retry-After"] == "5"


def test_the_course_lookup_of_ingestion_agrees_with_the_published_queryset():
    """On PostgreSQL ingestion looks courses up with its own ``= ANY`` query: it must keep meaning
    ``Course.objects.published()`` (run on both databases by CI)."""
    from courseplatform.catalog.models import Course
    from courseplatform.events.services import _published_storefronts

    published = [CourseFactory(), CourseFactory()]
    hidden = CourseFactory(published=False)
    ids = {c.pk for c in [*published, hidden]} | {10**9}
    expected = dict(Course.objects.published().filter(pk__in=ids).values_list("pk", "storefront_id"))
    assert _published_storefronts(ids) == expected == {c.pk: c.storefront_id for c in published}


@pytest.mark.parametrize("course_id", [2**63, 10**30])
def test_a_course_id_beyond_the_database_integer_is_refused_not_a_500(learner_client, course, course_id):
    response = post(learner_client, {"events": [event(course), {**event(course), "course": course_id}]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["stored"] == 1 and body["refused"][0]["index"] == 1 and "course" in body["refused"][0]["errors"]


def test_a_bad_batch_is_refused_in_the_language_of_accept_language(client):
    body = post(client, {"events": []}, HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert body["detail"] == "请发送一个 JSON 对象，其中 \"events\" 字段为非空列表。"
    english = post(client, {"events": []}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Send a JSON object with a non-empty list under \"events\"."


def test_refused_events_are_explained_in_chinese_with_the_right_headers(learner_client, course):
    response = post(learner_client, {"events": [event(course, type="teleport")]},
                    HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9,en;q=0.5")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "该批次中没有有效的事件。"
    (message,) = body["refused"][0]["errors"]["type"]
    assert not message.isascii()  # DRF's own message, from its zh_Hans catalogue
    assert response["Content-Language"] == "zh-hans" and "Accept-Language" in response["Vary"]


def test_without_accept_language_the_api_answers_in_english(client):
    response = post(client, {"events": []})
    assert response.json()["detail"].startswith("Send a JSON object") and response["Content-Language"] == "en"


def test_the_language_cookie_chooses_the_api_language_too(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert post(client, {"events": []}, HTTP_ACCEPT_LANGUAGE="en").json()["detail"].startswith("请发送")


def test_the_instant_of_an_event_is_stored_to_the_microsecond_whatever_its_offset(learner_client, course, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    when = (timezone.now() - timedelta(minutes=3)).replace(microsecond=123456)
    stamps = [when.astimezone(timezone.get_fixed_timezone(offset)).isoformat() for offset in (480, -330, 0)]
    ids = [str(uuid.uuid4()) for _ in stamps]
    events = [event(course, event_id=i, ts=ts) for i, ts in zip(ids, stamps, strict=True)]

    assert post(learner_client, {"events": events}).json()["stored"] == 3

    assert {row.ts for row in Interaction.objects.filter(event_id__in=ids)} == {when}
