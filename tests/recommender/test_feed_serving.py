"""``GET /api/feed`` on the production cache (Redis): a warm request makes at most two queries (the session and
the learner) and writes nothing (impressions are buffered); the rendered answer is cached per learner, language
and model version, and dropped by what changes it: enrolling, wishlisting, a new active version, a course hidden
or edited, new interests."""

import pytest
from django.core.cache import caches
from django.test import Client

from courseplatform.events import buffer
from courseplatform.events.models import Interaction
from recommender import cache as keys
from recommender.models import FeedItem
from tests.factories import UserFactory
from tests.recommender.factories import ModelVersionFactory, catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_cache(settings, broker):
    """Redis as the cache and the impressions buffer (the test's own database, flushed by ``broker``)."""
    settings.CACHES = {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                                   "LOCATION": broker}}
    settings.EVENTS_BUFFER_URL = broker
    settings.ACCOUNTS_USER_CACHE_S = 300  # as REDIS_URL sets it
    yield
    caches["default"].clear()
    caches.close_all()


@pytest.fixture
def served(production_cache):
    _cats, courses = catalogue()
    learner = UserFactory()
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    FeedItem.objects.bulk_create([FeedItem(version=version, user=learner, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you") for r, c in enumerate(courses[:8], start=1)])
    client = Client()
    client.force_login(learner)
    return client, learner, version, courses


def _ids(client, limit=6):
    return [i["course"]["id"] for i in client.get(f"/api/feed?limit={limit}").json()["items"]]


def test_a_warm_feed_request_makes_at_most_one_query_and_writes_nothing(served, django_assert_max_num_queries):
    """The session row (database sessions here; Redis-backed ``cached_db`` in production makes it none); the
    learner comes from the cache."""
    client, learner, _version, _courses = served
    first = client.get("/api/feed?limit=6").json()
    with django_assert_max_num_queries(1):
        again = client.get("/api/feed?limit=6").json()
    assert again == first and len(first["items"]) == 6
    assert not Interaction.objects.exists() and buffer.backlog()["entries"] == 1  # the first showing only


def test_a_warm_feed_request_reads_the_learner_and_its_cache_in_the_throttles_round_trip(served, settings,
                                                                                         redis_round_trips):
    """Two round trips: the session, then one script with the throttle counter, the learner's cached row and
    generation (accounts.backends) and the feed."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client, learner, *_ = served
    client.force_login(learner)  # a session stored through the cache
    first = client.get("/api/feed?limit=6").json()
    redis_round_trips.clear()
    assert client.get("/api/feed?limit=6").json() == first
    assert redis_round_trips == ["GET", "EVALSHA"]


def test_a_session_whose_password_changed_gets_the_anonymous_feed_counted_by_address(served, settings):
    """The script counted and read for the session's user; the session no longer checks out (another device
    changed the password), so the request is anonymous: counted again by address, the learner's feed unread."""
    from django.core.cache import cache

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "feed": "1000/min"}}
    client, learner, *_ = served
    mine = client.get("/api/feed?limit=6").json()
    learner.set_password("a-new-password-2026")
    learner.save()
    response = client.get("/api/feed?limit=6")
    assert response.status_code == 200 and response.wsgi_request.user.is_anonymous
    assert response.json() != mine
    assert cache.get("throttle_feed_ip127.0.0.1:n") == 1


def test_a_warm_feed_answers_the_json_rendered_when_it_was_cached(served):
    client, *_ = served
    first = client.get("/api/feed?limit=6")
    again = client.get("/api/feed?limit=6")
    assert again["Content-Type"] == "application/json" and again.content == first.content
    assert again.json() == first.json() and set(again.json()) == {"version", "items"}


def test_an_entry_cached_by_an_older_release_is_rendered_again_not_served(served):
    """A deploy finds entries of the previous shape (no rendered body) in the cache until they expire."""
    client, learner, version, _courses = served
    expected = client.get("/api/feed?limit=6").json()
    key = keys.rendered_key(learner.pk)
    entry = caches["default"].get(key)
    entry["views"] = {view: {"version": p["version"], "ids": p["ids"], "items": expected["items"]}
                      for view, p in entry["views"].items()}
    caches["default"].set(key, entry)
    response = client.get("/api/feed?limit=6")
    assert response.status_code == 200 and response.json() == expected


def test_the_rendered_feed_is_cached_per_language(served):
    client, *_ = served
    english = client.get("/api/feed?limit=3").json()["items"]
    chinese = client.get("/api/feed?limit=3", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()["items"]
    assert [i["course"]["id"] for i in english] == [i["course"]["id"] for i in chinese]
    assert english[0]["reason"] != chinese[0]["reason"]


def test_enrolling_drops_the_rendered_feed(served, django_capture_on_commit_callbacks):
    from courseplatform.catalog.services import enroll

    client, learner, _version, courses = served
    assert courses[0].pk in _ids(client)
    courses[0].price = 0
    courses[0].save(update_fields=["price"])
    with django_capture_on_commit_callbacks(execute=True):
        enroll(learner=learner, course=courses[0])
    assert courses[0].pk not in _ids(client)


def test_wishlisting_drops_the_rendered_feed(served, django_capture_on_commit_callbacks):
    from courseplatform.search.services import wishlist_add

    client, learner, _version, courses = served
    _ids(client)
    assert caches["default"].get(keys.rendered_key(learner.pk)) is not None
    with django_capture_on_commit_callbacks(execute=True):
        wishlist_add(user=learner, course=courses[11])
    assert caches["default"].get(keys.rendered_key(learner.pk)) is None


def test_a_new_active_version_serves_its_own_feed(served, django_capture_on_commit_callbacks):
    client, learner, version, courses = served
    assert client.get("/api/feed?limit=3").json()["version"] == version.pk
    newer = ModelVersionFactory(algorithm="ease")
    FeedItem.objects.bulk_create([FeedItem(version=newer, user=learner, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you") for r, c in enumerate(courses[8:], start=1)])
    version.is_active = False
    version.save(update_fields=["is_active"])
    newer.is_active = True
    newer.save(update_fields=["is_active"])
    keys.invalidate_active_version()  # what version_activate does on commit
    body = client.get("/api/feed?limit=3").json()
    assert body["version"] == newer.pk
    assert [i["course"]["id"] for i in body["items"]] == [c.pk for c in courses[8:11]]


def test_a_hidden_or_edited_course_leaves_the_cached_feed(served, django_capture_on_commit_callbacks):
    client, _learner, _version, courses = served
    shown = _ids(client)
    with django_capture_on_commit_callbacks(execute=True):
        courses[0].published = False  # hidden (unpublished, or by moderation)
        courses[0].save(update_fields=["published"])
        courses[1].title = "Renamed course"
        courses[1].save(update_fields=["title"])
    items = client.get("/api/feed?limit=6").json()["items"]
    assert courses[0].pk in shown and courses[0].pk not in [i["course"]["id"] for i in items]
    assert "Renamed course" in [i["course"]["title"] for i in items]


def test_new_interests_drop_a_new_learners_feed(production_cache, django_capture_on_commit_callbacks):
    cats, _courses = catalogue()
    learner = UserFactory()
    client = Client()
    client.force_login(learner)
    first = client.get("/api/feed?limit=3").json()["items"]
    assert {i["reason_code"] for i in first} == {"popular"}
    with django_capture_on_commit_callbacks(execute=True):
        learner.interests.set([cats[2]])
    items = client.get("/api/feed?limit=3").json()["items"]
    assert [i["reason_code"] for i in items[:2]] == ["popular_in"] * 2  # then another category (diversity)
    assert {i["course"]["category"] for i in items[:2]} == {cats[2].name}
