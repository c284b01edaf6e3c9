"""A Redis cache backend that degrades to "cache miss" while Redis is unreachable.

reliability fix (tests/reliability/test_redis_outage.py): with ``REDIS_URL`` set, Django's ``RedisCache`` raises
``redis.ConnectionError`` from every ``cache.get``, so a Redis restart turned the catalogue, the feed, the
log-in page (throttle counters) and every DRF-throttled API call into 500s. The cache holds nothing that must
survive (feeds, popularity tables and counters are recomputed), so reads answer the default and writes are
dropped, with a warning at most every ``WARN_EVERY_S`` seconds; the next command reconnects by itself.

Lives beside the settings that select it (``base.py``); it could move to a shared ``core`` package.
"""

import logging
import time
from collections.abc import Sequence

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
WARN_EVERY_S = 10.0


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` for every command, and each one copies ~170 response
    callbacks into a fresh dict: 0.25 ms a command, three commands per API request (bench/load.py profile).
    One client per connection pool is enough: redis-py clients are thread-safe and the pool is fork-safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


#: KEYS[1] the counter, KEYS[2:] keys to read; ARGV[1] the window in seconds. Opens the window at the first
#: hit (SET NX EX), counts (INCR), and answers {count, seconds left, values of KEYS[2:] (nil where missing)}.
#: A counter without expiry (it expired between SET NX and INCR) gets the window again.
HIT_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[1])
    ttl = tonumber(ARGV[1])
end
local out = {count, ttl}
for i = 2, #KEYS do
    out[#out + 1] = redis.call('GET', KEYS[i])
end
return out
"""


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._hit_script = None

    def _degraded(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY_S:
            ResilientRedisCache._last_warning = now
            logger.warning("cache unavailable (%s: %s); serving without cache", operation, error)

    def _call(self, operation: str, fallback, *args, **kwargs):
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except _redis_errors() as error:
            self._degraded(operation, error)
            return fallback()

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", lambda: False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", lambda: None, key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def hit(self, key, window_s: int, version=None) -> tuple[int, float]:
        """Count one request against ``key`` in a window of ``window_s`` seconds that opens at its first request;
        return ``(requests so far in the window, seconds until it closes)``.

        One round trip (``SET NX EX``, ``INCR``, ``TTL`` in one script) where DRF's throttle reads and
        rewrites a pickled list of timestamps: two round trips and 8 % of an ingestion request's CPU
        (bench/load.py profile). Fails open, ``(0, 0.0)``, while Redis is unreachable, and when ``key`` holds
        something other than a counter (the key is dropped, so the next request opens a fresh window).
        """
        count, ttl, _reads = self.hit_and_get_many(key, window_s, (), version)
        return count, ttl

    def hit_and_get_many(self, key, window_s: int, keys: Sequence[str],
                         version=None) -> tuple[int, float, dict | None]:
        """:meth:`hit`, and in the same round trip what ``get_many(keys)`` would answer (``None`` when Redis
        could not be read: the caller reads them itself). A throttled request that then reads the cache pays
        one round trip for both. One Lua script (``HIT_SCRIPT``): a single command to send and parse, where a
        MULTI pipeline of the same commands cost 1.6 times the CPU (redis-py 8)."""
        import redis

        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        names = {self.make_and_validate_key(k, version=version): k for k in keys}
        if self._hit_script is None:
            self._hit_script = client.register_script(HIT_SCRIPT)
        try:
            count, ttl, *values = self._hit_script(keys=[key, *names], args=[window_s], client=client)
        except _redis_errors() as error:
            self._degraded("hit", error)
            return 0, 0.0, None
        except redis.exceptions.ResponseError as error:  # e.g. not an integer: not a counter of ours
            logger.warning("cache key %s is not a counter (%s); dropped", key, error)
            try:
                client.delete(key)
            except _redis_errors():
                pass
            return 0, 0.0, None
        loads = self._cache._serializer.loads
        return int(count), float(ttl), {names[k]: loads(v) for k, v in zip(names, values, strict=True) if v is not None}

    def incr(self, key, delta=1, version=None):
        # "no such key" is what callers already handle (they fall back to set, which is dropped)
        def missing():
            raise ValueError(f"cache unavailable: {key!r} not incremented")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", lambda: list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", lambda: None, keys, version)

    def clear(self):
        return self._call("clear", lambda: False)
