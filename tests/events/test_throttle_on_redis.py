"""The API throttle on the production cache (Redis): one counter per client and window, 429 + Retry-After,
and requests still served while Redis is unreachable."""

import json
import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.conftest import redis_available
from tests.factories import CourseFactory, UserFactory
from tests.tools import require

pytestmark = pytest.mark.django_db
# a database of its own (CI gives each of its side-by-side suites another one)
REDIS_URL = os.environ.get("TEST_THROTTLE_REDIS_URL", "redis://127.0.0.1:6379/11")


def _cache_settings(location: str) -> dict:
    return {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                        "LOCATION": location, "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}


@pytest.fixture(params=[0, 60], ids=["user-read-apart", "user-read-with-the-counters"])
def redis_cache(settings, request):
    """The production cache; the signed-in user's row uncached, or cached and read in the throttles' round trip
    (``ACCOUNTS_USER_CACHE_S``: api.base.CsrfSessionAuthentication)."""
    settings.ACCOUNTS_USER_CACHE_S = request.param
    require(redis_available(REDIS_URL), f"Redis at {REDIS_URL} (the production cache's throttle)", "redis-server",
            "SKIP_REDIS")
    server = redis.Redis.from_url(REDIS_URL)
    server.flushdb()
    settings.CACHES = _cache_settings(REDIS_URL)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "3/min", "feed": "100/min"}}
    yield server
    caches.close_all()
    server.flushdb()


def _post(client, course):
    body = {"events": [{"event_id": str(uuid.uuid4()), "type": "click", "course": course.pk,
                        "ts": timezone.now().isoformat(), "context": {"surface": "home", "position": 1}}]}
    return client.post("/api/events", json.dumps(body), content_type="application/json")


def _learner_client() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def test_the_fourth_batch_in_a_window_of_three_is_a_429_with_retry_after(redis_cache):
    course, client = CourseFactory(), _learner_client()
    assert [_post(client, course).status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = _post(client, course)
    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 60
    assert Interaction.objects.count() == 3  # nothing stored from refused batches
    assert _post(_learner_client(), course).status_code == 200  # another client has its own budget
    # one counter key per client, expiring with its window
    keys = redis_cache.keys("*throttle_events_*:n")
    assert len(keys) == 2 and all(0 < redis_cache.ttl(k) <= 60 for k in keys)
    assert sorted(int(redis_cache.get(k)) for k in keys) == [1, 5]  # plain counters, refused requests count


def test_the_counter_window_closes_and_the_budget_comes_back(redis_cache):
    course, client = CourseFactory(), _learner_client()
    assert [_post(client, course).status_code for _ in range(4)] == [200, 200, 200, 429]
    for key in redis_cache.keys("*throttle_events_*"):
        redis_cache.expire(key, 0)  # the window's end, without waiting a minute
    assert _post(client, course).status_code == 200


def test_requests_are_served_while_redis_is_unreachable(settings):
    settings.CACHES = _cache_settings("redis://127.0.0.1:1/0")  # nothing listens there
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "1/min", "feed": "100/min"}}
    course, client = CourseFactory(), _learner_client()
    try:
        assert [_post(client, course).status_code for _ in range(3)] == [200, 200, 200]
    finally:
        caches.close_all()


def test_a_key_left_by_the_previous_throttle_or_not_a_counter_never_breaks_the_api(redis_cache):
    """Before a deploy DRF's sliding log kept a pickled list under the plain key; a value that is not a counter
    under the counter's own key is dropped (the next request opens a new window)."""
    from django.core.cache import cache

    course, client = CourseFactory(), _learner_client()
    user_id = client.session["_auth_user_id"]
    cache.set(f"throttle_events_u{user_id}", [1.0, 2.0])  # what DRF's throttle left behind
    assert _post(client, course).status_code == 200
    counter = f":1:throttle_events_u{user_id}:n"
    redis_cache.set(counter, "not a number")
    assert _post(client, course).status_code == 200  # fails open once, and drops the bad value
    assert _post(client, course).status_code == 200
    assert int(redis_cache.get(counter)) == 1 and 0 < redis_cache.ttl(counter) <= 60


def test_many_accounts_from_one_address_share_the_addresss_event_budget(redis_cache, settings):
    """The per-account limit alone hands every self-registered account a fresh budget; the per-address one
    (``events_ip``) does not."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "3/min", "events_ip": "5/min", "feed": "100/min"}}
    course = CourseFactory()
    codes = [_post(_learner_client(), course).status_code for _ in range(6)]
    assert codes == [200, 200, 200, 200, 200, 429]
    assert Interaction.objects.count() == 5
    elsewhere = _learner_client()
    elsewhere.defaults["REMOTE_ADDR"] = "198.51.100.7"
    assert _post(elsewhere, course).status_code == 200


def test_both_event_budgets_are_counted_in_one_round_trip(redis_cache, settings, redis_round_trips):
    """The per-account and per-address counters of a batch: one script call, each counter moved once."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"events": "3/min", "events_ip": "5/min", "feed": "100/min"}}
    course, client = CourseFactory(), _learner_client()
    assert _post(client, course).status_code == 200
    assert redis_round_trips.count("EVALSHA") + redis_round_trips.count("EVAL") == 1
    user_id = client.session["_auth_user_id"]
    assert int(redis_cache.get(f":1:throttle_events_u{user_id}:n")) == 1
    assert [int(redis_cache.get(k)) for k in redis_cache.keys("*throttle_events_ip_*:n")] == [1]


def test_the_taggers_cache_keys_ride_on_the_throttles_round_trip(redis_cache, monkeypatch):
    from courseplatform.events import taggers
    from courseplatform.experiments import selectors as experiments

    course, client = CourseFactory(), _learner_client()
    assert _post(client, course).status_code == 200  # running storefronts now cached (none)
    seen, reads = [], []

    def tag_with_reads(*, user, session_key, courses, cache_reads):
        seen.append(dict(cache_reads))
        return {}

    cache = caches["default"]
    real_get = type(cache).get
    monkeypatch.setattr(type(cache), "get", lambda self, key, *a, **kw: reads.append(key) or real_get(
        self, key, *a, **kw))
    cache.set("tagger:read-ahead", {"running": [course.storefront_id]})
    taggers.register(tag_with_reads, reads=["tagger:read-ahead"])
    try:
        assert _post(client, course).status_code == 200
    finally:
        taggers.unregister(tag_with_reads)

    assert seen == [{"tagger:read-ahead": {"running": [course.storefront_id]}}]  # its own keys
    assert experiments.RUNNING_STOREFRONTS_KEY not in reads and "tagger:read-ahead" not in reads
