"""A cache write that fails while Redis only paused (a failover, a stall, a timeout) is owed, not dropped: the
process deletes the key before its next command, so the value the write meant to replace is never read again. A
log-out during the pause stays a log-out; a deactivation during it signs the account out
(``settings.resilient_cache``)."""

import time

import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.test import Client

from courseplatform.settings import resilient_cache
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paused_redis(settings, broker):
    """Redis as the cache and session store with a short socket timeout, and a way to stall its writes."""
    settings.CACHES = {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                                   "LOCATION": broker,
                                   "OPTIONS": {"socket_timeout": 0.3, "socket_connect_timeout": 0.3}}}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.ACCOUNTS_USER_CACHE_S = 300
    admin = redis.Redis.from_url(broker)

    def pause_writes(ms: int = 1500):
        admin.execute_command("CLIENT", "PAUSE", ms, "WRITE")
        return ms / 1000

    yield pause_writes
    admin.execute_command("CLIENT", "UNPAUSE")
    caches["default"].clear()
    caches.close_all()
    resilient_cache._owed.clear()


def _who(client) -> str:
    response = client.get("/api/feed?limit=1")
    assert response.status_code == 200
    return response.wsgi_request.user.get_username()


def _signed_in(username: str):
    user = UserFactory(username=username)
    client = Client()
    client.force_login(user)
    assert _who(client) == username  # the session and the row are in Redis now
    return client, user


def test_a_delete_that_timed_out_is_paid_before_the_next_read(paused_redis):
    cache.set("k", "old")
    left = paused_redis()
    assert cache.delete("k") is False  # timed out: owed
    time.sleep(left)
    assert cache.get("k") is None


def test_a_log_out_while_redis_stalls_still_signs_the_session_out(paused_redis):
    client, _user = _signed_in("nadia")
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    left = paused_redis()
    client.logout()  # the database row goes; the cached session's delete times out
    time.sleep(left)
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = session
    assert _who(replay) == ""


def test_an_account_deactivated_while_redis_stalls_is_signed_out_on_the_next_request(paused_redis):
    client, user = _signed_in("omar")
    left = paused_redis()
    user.is_active = False
    user.save()  # the cached row's drop times out
    time.sleep(left)
    assert _who(client) == ""


def test_what_is_owed_is_bounded(paused_redis, monkeypatch):
    monkeypatch.setattr(resilient_cache, "OWED_MAX", 3)
    left = paused_redis()
    cache.delete_many(["a", "b", "c", "d", "e"])
    owed = next(iter(resilient_cache._owed.values()))
    assert [k.rsplit(":", 1)[-1] for k in owed] == ["c", "d", "e"]
    time.sleep(left)
