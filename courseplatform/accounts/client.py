"""The client's address, believing proxy headers only as far as the operator says proxies are trusted.

Behind a reverse proxy every request's ``REMOTE_ADDR`` is the proxy, so per-client limits would treat the
whole site as one client; in front of none, ``X-Forwarded-For`` is whatever the client wrote. With
``TRUSTED_PROXY_COUNT = n`` (environment, default 0) the address is the n-th entry from the right of
``X-Forwarded-For`` (the one the outermost trusted proxy saw), as DRF's ``NUM_PROXIES`` reads it.
"""

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    return forwarded[-min(proxies, len(forwarded))][:64]
