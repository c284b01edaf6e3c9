"""Sessions in production shape (``REDIS_URL`` set): cached in Redis, written through to the database.

A Redis restart or outage logs nobody out and loses no anonymous session; the cache client is shared across
commands and reconnects by itself after the restart.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_sessions(settings, private_redis):
    settings.CACHES = {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                                   "LOCATION": private_redis.url,
                                   "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return private_redis


def _logged_in_as(client) -> str | None:
    return client.session.get(SESSION_KEY)


def test_the_redis_cache_reuses_one_client_per_connection_pool(redis_sessions):
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
    cache.set("k", 1)
    assert cache.get("k") == 1


def test_a_redis_restart_or_outage_logs_nobody_out(redis_sessions, client):
    user = UserFactory(role="creator")
    studio = reverse("catalog:studio")  # log-in required
    client.force_login(user)
    assert client.get("/api/feed").status_code == 200
    redis_sessions.stop()  # Redis down: the session is read from the database
    response = client.get(studio)
    assert response.status_code == 200 and _logged_in_as(client) == str(user.pk)
    redis_sessions.start()  # back, and empty: the first read misses and refills the cache
    assert client.get(studio).status_code == 200
    assert client.get(studio).status_code == 200
    assert _logged_in_as(client) == str(user.pk)
