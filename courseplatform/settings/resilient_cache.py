"""A Redis cache backend that degrades to "cache miss" while Redis is unreachable.

reliability fix (tests/reliability/test_redis_outage.py): with ``REDIS_URL`` set, Django's ``RedisCache`` raises
``redis.ConnectionError`` from every ``cache.get``, so a Redis restart turned the catalogue, the feed, the
log-in page (throttle counters) and every DRF-throttled API call into 500s. The cache holds nothing that must
survive (feeds, popularity tables and counters are recomputed), so reads answer the default and writes are
dropped, with a warning at most every ``WARN_EVERY_S`` seconds; the next command reconnects by itself.

A dropped write is not forgotten, though: a ``delete`` or ``set`` that failed leaves the key's *old* value in
Redis, and when Redis only paused (a failover, a stall, a timeout) that old value is read again afterwards: a
session a log-out deleted, a user row a deactivation dropped. So the process owes Redis a delete of every key
whose write failed, and pays it before its next command (``_owed``, at most ``OWED_MAX`` keys). Deleting a cache
entry only ever costs a miss. What a process owed when it died stays owed to nobody: the entries then live until
their timeouts (a user row: ``ACCOUNTS_USER_CACHE_S``).

Lives beside the settings that select it (``base.py``); it could move to a shared ``core`` package.
"""

import logging
import threading
import time
from collections.abc import Iterable, Sequence

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)
WARN_EVERY_S = 10.0
#: keys whose write failed, per Redis location, still to delete (oldest dropped beyond this many)
OWED_MAX = 10_000
_owed: dict[tuple, dict[str, None]] = {}  # process-wide: Django makes a cache object per thread
_owed_lock = threading.Lock()


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


#: KEYS[1..n] counters, KEYS[n+1..] keys to read; ARGV[1] n, ARGV[2..n+1] each counter's window in seconds. Opens
#: each counter's window at its first hit (SET NX EX), counts (INCR), and answers {count, seconds left} per counter
#: then the values of the keys to read (nil where missing). A counter without expiry (it expired between SET NX and
#: INCR) gets its window again.
HIT_SCRIPT = """
local n = tonumber(ARGV[1])
local out = {}
for i = 1, n do
    local window = ARGV[i + 1]
    redis.call('SET', KEYS[i], 0, 'EX', window, 'NX')
    local count = redis.call('INCR', KEYS[i])
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 0 then
        redis.call('EXPIRE', KEYS[i], window)
        ttl = tonumber(window)
    end
    out[#out + 1] = count
    out[#out + 1] = ttl
end
for i = n + 1, #KEYS do
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
        self._where = tuple(self._servers)  # whose debts are whose (``_owed``)

    def validate_key(self, key: str) -> None:
        """Nothing to check: Redis takes any key. Django's check warns of keys memcached would refuse (over 250
        characters, spaces, control characters) and walked every key of every command (7 per feed request)."""

    def _degraded(self, operation: str, error: BaseException) -> None:
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning >= WARN_EVERY_S:
            ResilientRedisCache._last_warning = now
            logger.warning("cache unavailable (%s: %s); serving without cache", operation, error)

    def _call(self, operation: str, fallback, *args, **kwargs):
        self._pay_owed()
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except _redis_errors() as error:
            self._degraded(operation, error)
            return fallback()

    def _owe(self, keys: Iterable[str], version=None) -> None:
        """Remember to delete ``keys`` (unmade) once Redis answers again: their write failed (module docstring)."""
        made = [self.make_and_validate_key(k, version=version) for k in keys]
        with _owed_lock:
            owed = _owed.setdefault(self._where, {})
            owed.update(dict.fromkeys(made))
            while len(owed) > OWED_MAX:
                del owed[next(iter(owed))]

    def _pay_owed(self) -> None:
        where = self._where
        if not _owed.get(where):
            return
        with _owed_lock:
            keys = list(_owed.pop(where, {}))
        if not keys:
            return
        try:
            self._cache.get_client(write=True).delete(*keys)
        except _redis_errors():
            with _owed_lock:  # still unreachable: owed again (before what was owed meanwhile)
                _owed[where] = {**dict.fromkeys(keys), **_owed.get(where, {})}

    def add(self, key, value, timeout=None, version=None):
        return self._call("add", lambda: False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", lambda: default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._call("set", lambda: self._owe([key], version), key, value, timeout, version)

    def touch(self, key, timeout=None, version=None):
        return self._call("touch", lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", lambda: self._owe([key], version) or False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", dict, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", lambda: False, key, version)

    def hit_many(self, counters: Sequence[tuple[str, int]], keys: Sequence[str] = (),
                 version=None) -> tuple[list[tuple[int, float]], dict | None]:
        """Count one request against each ``(key, window_s)`` of ``counters`` (a window opens at its counter's first
        request) and answer ``([(requests so far in the window, seconds until it closes)], get_many(keys))``, all
        in one round trip: a request under several throttles that then reads the cache pays one for all of it.

        One Lua script (``HIT_SCRIPT``): a single command to send and parse, where DRF's throttle read and rewrote
        a pickled list of timestamps per throttle (two round trips each) and a MULTI pipeline of the same commands
        cost 1.6 times the CPU (redis-py 8). Fails open, every count ``(0, 0.0)`` and the reads ``None`` (the
        caller reads them itself), while Redis is unreachable, and when a counter key holds something other than a
        counter (the keys are dropped, so the next request opens fresh windows)."""
        import redis

        self._pay_owed()
        counter_keys = [self.make_and_validate_key(k, version=version) for k, _w in counters]
        names = {self.make_and_validate_key(k, version=version): k for k in keys}
        client = self._cache.get_client(counter_keys[0], write=True)
        if self._hit_script is None:
            self._hit_script = client.register_script(HIT_SCRIPT)
        failed_open = [(0, 0.0)] * len(counters)
        try:
            out = self._hit_script(keys=[*counter_keys, *names], args=[len(counters), *(w for _k, w in counters)],
                                   client=client)
        except _redis_errors() as error:
            self._degraded("hit", error)
            return failed_open, None
        except redis.exceptions.ResponseError as error:  # e.g. not an integer: not a counter of ours
            logger.warning("cache keys %s hold something other than counters (%s); dropped", counter_keys, error)
            try:
                client.delete(*counter_keys)
            except _redis_errors():
                pass
            return failed_open, None
        counts = [(int(out[2 * i]), float(out[2 * i + 1])) for i in range(len(counters))]
        loads = self._cache._serializer.loads
        values = out[2 * len(counters):]
        return counts, {names[k]: loads(v) for k, v in zip(names, values, strict=True) if v is not None}

    def incr(self, key, delta=1, version=None):
        # "no such key" is what callers already handle (they fall back to set, which is dropped)
        def missing():
            raise ValueError(f"cache unavailable: {key!r} not incremented")

        return self._call("incr", missing, key, delta, version)

    def set_many(self, data, timeout=None, version=None):
        return self._call("set_many", lambda: self._owe(data, version) or list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call("delete_many", lambda: self._owe(keys, version), keys, version)

    def clear(self):
        return self._call("clear", lambda: False)
