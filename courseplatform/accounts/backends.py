"""The authentication backend: Django's ``ModelBackend`` with the per-request user lookup read from the cache.

Every signed-in request loads its user (``SessionMiddleware`` gives the id, ``get_user`` the row); on the warm
feed that query was the only one and about 40 % of the request (bench/load.py profile). The row is cached per
user id for ``ACCOUNTS_USER_CACHE_S`` seconds and dropped whenever the row is saved or deleted, at once and again
after the transaction commits. Everything Django checks on a cached user still runs per request: ``is_active``
(``user_can_authenticate``) and the session hash, so a password change (a save) ends the other sessions on their
next request. The cache holds no password hash: the cached copy keeps the session hashes Django compares (HMACs of
the hash under ``SECRET_KEY``, which do not give it back) and reads the hash itself from the database only when
something asks for it (a password check). The entry carries a digest of ``SECRET_KEY`` and its fallbacks, and one
made under other keys is a miss, so that a rotated key is checked against hashes made with it, as without the cache.

A drop is a new *generation* (a random token under its own key, read in the same round trip as the row), and a row
is cached with the generation read before the database was: a request that read the row before a change committed
and stores it after the drop stores it under the old generation, which no later request accepts (deleting the key
let such a request keep the old row, an account still active or an old password hash, for the whole TTL). The
generation outlives any row cached before it by ``FORGET_S`` seconds; a request slower than that between its reads
and its store is the one window left.

A caller that reads the cache in a round trip of its own anyway (the API's throttle script:
``courseplatform.api.base``) can read the row and its generation in it, :func:`user_row_keys`, and hand them over
with :func:`prefetched_user_row`; the checks are the same, only the round trip is shared.

Writes that bypass ``save()`` (``QuerySet.update`` on the user table; none in this project) are seen within
the TTL. While the cache is unreachable every lookup reads the database, as without this backend.
"""

import copy
import functools
import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction


def user_cache_seconds() -> int:
    """``ACCOUNTS_USER_CACHE_S``: how long a user row is cached, the upper bound on how long a change made without
    ``save()`` can go unseen; 0 reads the database every time (the default on the database cache, where a cache
    read is a query too)."""
    return int(getattr(settings, "ACCOUNTS_USER_CACHE_S", 0))


#: how much longer than a cached row a generation lives: a request that read generation None and the old row just
#: before a drop, and stores them up to this many seconds after it, still finds them refused
FORGET_S = 60


@functools.lru_cache(maxsize=4)
def _keys_digest(secret: str, fallbacks: tuple[str, ...]) -> str:
    return hashlib.blake2b("\0".join((secret, *fallbacks)).encode(), digest_size=6).hexdigest()


def _current_keys_digest() -> str:
    return _keys_digest(settings.SECRET_KEY, tuple(getattr(settings, "SECRET_KEY_FALLBACKS", ())))


def user_cache_key(user_id) -> str:
    return f"accounts:user:{user_id}"


def generation_key(user_id) -> str:
    return f"accounts:user:{user_id}:gen"


def user_row_keys(user_id) -> list[str]:
    """The cache keys :meth:`CachedModelBackend.get_user` reads for ``user_id`` (the row, its generation)."""
    return [user_cache_key(user_id), generation_key(user_id)]


#: (user id, what the cache answered for its ``user_row_keys``) while a caller's read is handed over
_prefetched: ContextVar[tuple[str, dict] | None] = ContextVar("accounts_prefetched_user_row", default=None)


@contextmanager
def prefetched_user_row(user_id, got: dict) -> Iterator[None]:
    """Within the block, ``get_user(user_id)`` takes ``got`` (``cache.get_many(user_row_keys(user_id))``'s answer,
    read by the caller in the same round trip as its own reads) instead of reading the cache."""
    token = _prefetched.set((str(user_id), got))
    try:
        yield
    finally:
        _prefetched.reset(token)


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = user_cache_seconds()
        if not seconds:
            return super().get_user(user_id)
        key, gen_key = user_row_keys(user_id)
        handed = _prefetched.get()
        if handed is not None and handed[0] == str(user_id):
            got = handed[1]
        else:
            got = cache.get_many([key, gen_key])  # one round trip
        generation, entry = got.get(gen_key), got.get(key)
        digest = _current_keys_digest()
        if isinstance(entry, tuple) and len(entry) == 3 and entry[0] == generation and entry[1] == digest:
            user = entry[2]
            return user if self.user_can_authenticate(user) else None
        user = super().get_user(user_id)  # None for an unknown or inactive user: not cached
        if user is not None:  # under the generation read before the row (module docstring)
            cache.set(key, (generation, digest, _cacheable(user)), seconds)
        return user


def _cacheable(user):
    """The copy of ``user`` the cache keeps: what Django asks of its password hash kept (``User._cached_auth``), the
    hash itself left out (deferred)."""
    kept = copy.copy(user)
    kept._cached_auth = (user.get_session_auth_hash(), tuple(user.get_session_auth_fallback_hash()),
                         user.has_usable_password())
    kept.__dict__.pop("password", None)
    return kept


def forget_cached_user(user_id) -> None:
    """Drop the cached row now and after the current transaction commits: a new generation each time."""
    seconds = user_cache_seconds()
    if not seconds:
        return

    def new_generation() -> None:
        cache.set(generation_key(user_id), uuid.uuid4().hex, seconds + FORGET_S)
        cache.delete(user_cache_key(user_id))  # not only refused: an erased person's row leaves the cache now

    new_generation()
    transaction.on_commit(new_generation)


def forget_saved_user(sender, instance, **kwargs) -> None:
    """Receiver of the user model's ``post_save`` and ``post_delete`` (``apps.AccountsConfig.ready``)."""
    forget_cached_user(instance.pk)
