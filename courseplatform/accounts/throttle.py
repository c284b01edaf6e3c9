"""Log-in throttling that slows guessing without locking the account's owner out.

- Failures count per (username, client) pair, so only the client that keeps guessing waits; the owner
  logging in from another client is never held back (a per-username lock is a denial of service that
  anyone can trigger: OWASP ASVS 2.2.1, OWASP Authentication Cheat Sheet "Account lockout").
- After ``LOGIN_FREE_FAILURES`` failures a pair backs off exponentially: base × 2^(n − free), capped at
  ``LOGIN_BACKOFF_MAX_S``. Failures per client over every username (credential stuffing from one address)
  back that client off the same way, from ``LOGIN_FREE_FAILURES_PER_CLIENT``.
- Failures site-wide per minute above ``LOGIN_ANOMALY_FAILURES_PER_MIN`` slow each failed attempt by
  ``LOGIN_ANOMALY_DELAY_S``: a distributed attack is slowed, nobody is blocked.
- The caller checks the password on every attempt, backing off or not, so timing reveals nothing, and a
  backing-off attempt gets the same answer whether its password was right.

Counters live in the shared cache (Redis or the database cache; never per-process memory).
"""

import time

from django.conf import settings
from django.core.cache import cache


def _pair_key(username: str, ip: str) -> str:
    return f"login-fail:pair:{username.lower()[:150]}:{ip}"


def _client_key(ip: str) -> str:
    return f"login-fail:client:{ip}"


def _site_key(now: float) -> str:
    return f"login-fail:site:{int(now // 60)}"


def _backoff_s(failures: int, free: int) -> float:
    if failures < free:
        return 0.0
    return min(settings.LOGIN_BACKOFF_BASE_S * 2 ** (failures - free), settings.LOGIN_BACKOFF_MAX_S)


def _count(key: str, timeout: float) -> int:
    if cache.add(key, 1, timeout):
        return 1
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1
    cache.touch(key, timeout)  # BaseCache.incr re-sets with the default timeout on the database cache
    return value


def seconds_to_wait(username: str, ip: str, now: float | None = None) -> float:
    """How long this (username, client) must still wait before an attempt is judged; 0 when it may try."""
    now = time.time() if now is None else now
    untils = cache.get_many([f"{_pair_key(username, ip)}:until", f"{_client_key(ip)}:until"])
    return max([0.0, *(until - now for until in untils.values())])


def record_failure(username: str, ip: str, now: float | None = None) -> None:
    """Count a failed attempt and set the next moment the pair (and the client) may try again."""
    now = time.time() if now is None else now
    keep = settings.LOGIN_FAILURE_MEMORY_S
    for key, free in (
        (_pair_key(username, ip), settings.LOGIN_FREE_FAILURES),
        (_client_key(ip), settings.LOGIN_FREE_FAILURES_PER_CLIENT),
    ):
        wait = _backoff_s(_count(key, keep), free)
        if wait:
            cache.set(f"{key}:until", now + wait, keep)
    if _count(_site_key(now), 120) > settings.LOGIN_ANOMALY_FAILURES_PER_MIN:
        time.sleep(settings.LOGIN_ANOMALY_DELAY_S)


def clear_failures(username: str, ip: str) -> None:
    """A successful log-in forgets the pair's failures (the client's count over other names stays)."""
    key = _pair_key(username, ip)
    cache.delete_many([key, f"{key}:until"])


def sign_up_allowed(ip: str, now: float | None = None) -> bool:
    """Count a sign-up attempt from this client; False once it passes the hourly limit.

    Every attempt counts, successful or not: each refusal ("that name is taken") tells whether an account
    exists, so the limit bounds how fast names can be enumerated and accounts mass-created.
    """
    now = time.time() if now is None else now
    key = f"signup:client:{ip}:{int(now // 3600)}"
    return _count(key, 3600) <= settings.SIGNUP_MAX_PER_HOUR_PER_CLIENT
