"""Login throttling on the shared cache (Redis or the database cache; never per-process memory).

Counts failed log-ins per username and per client IP inside a fixed window; over the limit the
log-in is refused with the same message whether or not the user exists (OWASP ASVS 6.3.8).
"""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> tuple[str, str]:
    return f"login-fail:user:{username.lower()[:150]}", f"login-fail:ip:{ip}"


def is_locked_out(username: str, ip: str) -> bool:
    user_key, ip_key = _keys(username, ip)
    return (cache.get(user_key, 0) >= settings.LOGIN_MAX_FAILURES_PER_USER) or (
        cache.get(ip_key, 0) >= settings.LOGIN_MAX_FAILURES_PER_IP
    )


def record_failure(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_S):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_LOCKOUT_S)
        else:
            # security fix (tests/security/test_inputs_and_login.py): BaseCache.incr (the database cache of the
            # embedded default) re-sets the key with the cache's default timeout (300 s), which cut the 30-minute
            # lockout to 5 minutes; restate the lockout window after every counted failure.
            cache.touch(key, settings.LOGIN_LOCKOUT_S)


def clear_failures(username: str, ip: str) -> None:
    cache.delete_many(list(_keys(username, ip)))
