"""The Redis cache takes any key without Django's memcached key checks (``settings.resilient_cache``)."""

import warnings

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning


@pytest.fixture
def redis_cache(settings, broker):
    settings.CACHES = {"default": {"BACKEND": "courseplatform.settings.resilient_cache.ResilientRedisCache",
                                   "LOCATION": broker}}
    yield caches["default"]
    caches["default"].clear()
    caches.close_all()


def test_a_key_memcached_would_refuse_round_trips_without_a_warning(redis_cache):
    key = "search results for: " + "long query " * 30  # spaces, over memcached's 250 characters
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        redis_cache.set(key, [1, 2, 3])
        assert redis_cache.get(key) == [1, 2, 3]
