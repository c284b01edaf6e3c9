"""The authentication backend: Django's ``ModelBackend`` with the per-request user lookup read from the cache.

Every signed-in request loads its user (``SessionMiddleware`` gives the id, ``get_user`` the row); on the warm
feed that query was the only one and about 40 % of the request (bench/load.py profile). The row is cached per
user id for ``ACCOUNTS_USER_CACHE_S`` seconds and dropped whenever the row is saved or deleted, at once and again
after the transaction commits. Everything Django checks on a cached user still runs per request: ``is_active``
(``user_can_authenticate``) and the session hash against the cached password hash, so a password change (a save)
ends the other sessions on their next request. One window remains: a request that read the old row just before the
commit and stores it just after the second drop keeps it for up to the TTL.

Writes that bypass ``save()`` (``QuerySet.update`` on the user table; none in this project) are seen within
the TTL. While the cache is unreachable every lookup reads the database, as without this backend.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction


def user_cache_seconds() -> int:
    """``ACCOUNTS_USER_CACHE_S``: how long a user row is cached, the upper bound on how long a change made without
    ``save()`` can go unseen; 0 reads the database every time (the default on the database cache, where a cache
    read is a query too)."""
    return int(getattr(settings, "ACCOUNTS_USER_CACHE_S", 0))


def user_cache_key(user_id) -> str:
    return f"accounts:user:{user_id}"


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        seconds = user_cache_seconds()
        if not seconds:
            return super().get_user(user_id)
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # None for an unknown or inactive user: not cached
            if user is not None:
                cache.set(key, user, seconds)
            return user
        return user if self.user_can_authenticate(user) else None


def forget_cached_user(user_id) -> None:
    """Drop the cached row now and after the current transaction commits."""
    if not user_cache_seconds():
        return
    key = user_cache_key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def forget_saved_user(sender, instance, **kwargs) -> None:
    """Receiver of the user model's ``post_save`` and ``post_delete`` (``apps.AccountsConfig.ready``)."""
    forget_cached_user(instance.pk)
