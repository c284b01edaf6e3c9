"""Shared pieces of the platform's JSON APIs (DRF, documented with drf-spectacular).

Session authentication with CSRF enforced for anonymous sessions too (a browser beacon sends ``X-CSRFToken``;
``GET /api/feed`` sets the ``csrftoken`` cookie). When the database is unavailable the views answer 503 with
``Retry-After`` instead of a 500, so clients retry the same request.
"""

import logging
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.db import InterfaceError, OperationalError
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from courseplatform.accounts.backends import (
    CachedModelBackend,
    prefetched_user_row,
    user_cache_seconds,
    user_row_keys,
)

logger = logging.getLogger(__name__)
RETRY_AFTER_S = 5
_UNKNOWN = object()  # ``_count_all``: no user id given, ``request.user`` says


class CsrfSessionAuthentication(SessionAuthentication):
    """Session authentication that checks CSRF for anonymous sessions as well as logged-in users.

    On Redis, the signed-in user's cached row is read in the round trip of the view's throttles (and cache reads),
    one round trip instead of two (:meth:`ClientRateThrottle.count_ahead`); Django's checks of the user (active,
    the session hash) run as before. A session whose user does not check out is then counted and read again as
    the anonymous visitor it is."""

    def authenticate(self, request):
        user_id = _session_user_id(request)
        counted = ClientRateThrottle.count_ahead(request, user_id) if user_id is not None else None
        if counted is None:
            result = super().authenticate(request)
        else:
            with prefetched_user_row(user_id, counted):
                result = super().authenticate(request)
            if result is None or str(result[0].pk) != str(user_id):  # counted for a user it turned out not to be
                request.throttle_counts = request.cache_reads = None
        if result is None and request._request.method not in ("GET", "HEAD", "OPTIONS"):
            self.enforce_csrf(request)
        return result


def _session_user_id(request):
    """The user id the session names when the cached backend would read that user (else None). Reads the session,
    which authenticating reads anyway."""
    if not user_cache_seconds():
        return None
    session = getattr(request._request, "session", None)
    try:
        if session is None or session.get(BACKEND_SESSION_KEY) != _CACHED_BACKEND:
            return None
        return session.get(SESSION_KEY)
    except Exception:  # the session store failed: authenticating reports it as it always has
        return None


_CACHED_BACKEND = f"{CachedModelBackend.__module__}.{CachedModelBackend.__qualname__}"


class CsrfSessionScheme(OpenApiAuthenticationExtension):
    target_class = CsrfSessionAuthentication
    name = "sessionCookie"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "Django session cookie; unsafe methods also need the X-CSRFToken header."}


class ClientRateThrottle(SimpleRateThrottle):
    """Per client: the user id when logged in, else the client address. The rate is read at request time
    from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]``.

    On the Redis cache (production) a counter per client and window, the window opening at the client's first
    request (``ResilientRedisCache.hit_many``: one round trip); a burst can reach twice the rate across a window's
    end. Elsewhere (the database cache of development) DRF's sliding log of request times.

    The first of a view's throttles counts every one of them in a single round trip (``hit_many``; the others
    answer from ``request.throttle_counts``), and a view with ``throttle_cache_reads(request, user_id) -> list of
    cache keys`` (``user_id``: who the request is for, None anonymous) has them read in that round trip too:
    ``request.cache_reads`` is then what ``cache.get_many`` would answer (``None``: not read here). For a signed-in
    session that round trip happens during authentication and also reads the user's cached row
    (:class:`CsrfSessionAuthentication`).
    """

    _retry_after: float | None = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        if self.rate is None or not hasattr(self.cache, "hit_many"):
            return super().allow_request(request, view)
        self.key = self._counter_key(request, view)
        counted = getattr(request, "throttle_counts", None)
        if counted is None or self.key not in counted:
            counted, _extra = self._count_all(request, view)
            request.throttle_counts = counted
        count, seconds_left = counted[self.key]
        if count <= self.num_requests:  # 0: Redis unreachable, the request goes through
            return True
        self._retry_after = max(seconds_left, 1.0)
        return False

    def _counter_key(self, request, view) -> str:
        # its own key name: DRF's sliding log keeps a pickled list under the plain key (e.g. before a deploy)
        return f"{self.get_cache_key(request, view)}:n"

    def _count_all(self, request, view, user_id=_UNKNOWN,
                   extra: Sequence[str] = ()) -> tuple[dict[str, tuple[int, float]], dict | None]:
        """Count this request against every rate-limited throttle of ``view`` at once (this one included), with
        the view's cache reads and ``extra`` keys in the same round trip: answers ``(counts by counter key, what
        the cache holds of extra)`` (``None``: not read), and ``request.cache_reads`` holds the view's. ``user_id``:
        the user the request is being authenticated as (before ``request.user`` exists), else ``request.user``'s."""
        throttles = [t for t in view.get_throttles() if isinstance(t, ClientRateThrottle) and t.rate is not None]
        if not any(type(t) is type(self) for t in throttles):
            throttles.append(self)
        if user_id is _UNKNOWN:
            counters = {t._counter_key(request, view): t.duration for t in throttles}
            user_id = request.user.pk if request.user.is_authenticated else None
        else:
            request.counting_for = user_id  # get_cache_key's user while request.user is being worked out
            try:
                counters = {t._counter_key(request, view): t.duration for t in throttles}
            finally:
                del request.counting_for
        wanted = getattr(view, "throttle_cache_reads", None)
        reads = list(wanted(request, user_id)) if wanted else []
        counts, got = self.cache.hit_many(list(counters.items()), [*reads, *extra])
        request.cache_reads = None if got is None else {k: got[k] for k in reads if k in got}
        return dict(zip(counters, counts, strict=True)), None if got is None else {k: got[k] for k in extra if k in got}

    @classmethod
    def count_ahead(cls, request, user_id) -> dict | None:
        """Before authentication: count the request as user ``user_id`` against the view's throttles, read the
        view's cache keys, and read that user's cached row, all in one round trip; answers what the cache holds
        for ``accounts.backends.user_row_keys(user_id)`` (None: nothing counted, Redis not in use or unreachable,
        or a view without these throttles)."""
        view = (request.parser_context or {}).get("view")
        if view is None:
            return None
        first = next((t for t in view.get_throttles() if isinstance(t, cls) and t.rate is not None), None)
        if first is None or not hasattr(first.cache, "hit_many"):
            return None
        request.throttle_counts, row = first._count_all(request, view, user_id, user_row_keys(user_id))
        return row

    def wait(self):
        return self._retry_after if self._retry_after is not None else super().wait()

    def get_ident(self, request):
        """The client address: ``REMOTE_ADDR`` unless ``NUM_PROXIES`` says how many proxies to trust (DRF's
        default would otherwise believe any client-sent X-Forwarded-For and hand out fresh budgets)."""
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        user_id = request.__dict__.get("counting_for", _UNKNOWN)  # counted ahead of authentication
        if user_id is _UNKNOWN:
            user = getattr(request, "user", None)
            user_id = user.pk if user is not None and user.is_authenticated else None
        ident = f"u{user_id}" if user_id is not None else f"ip{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class BodyTooLarge(APIException):
    status_code = status.HTTP_400_BAD_REQUEST  # as Django answers RequestDataTooBig, but in JSON
    default_code = "body_too_large"


#: a body larger than the limit is read and dropped up to this size before the 400 (so the client reads the
#: answer instead of a reset connection); beyond it the server stops reading
DRAIN_MAX_BYTES = 16 * 1024 * 1024


class BodyLimitMixin:
    """A body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a JSON 400 with a clear message, checked before
    authentication and CSRF, after reading the body (Django's own check raises before reading it: an HTML 400 and,
    behind gunicorn, a connection reset while the client still sends). Issue 22, item 9."""

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            if length <= DRAIN_MAX_BYTES and not request._request._read_started:
                while request._request.read(64 * 1024):
                    pass
            raise BodyTooLarge(_("The request body is too large (%(size)d bytes; at most %(limit)d). Send fewer "
                                 "events per batch.") % {"size": length, "limit": limit})
        super().initial(request, *args, **kwargs)


class SafeJSONParser(JSONParser):
    """DRF's JSON parser answering JSON nested beyond Python's recursion limit with a 400 instead of a
    ``RecursionError`` 500 (issue 22, item 5)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON is nested too deeply.")) from None


class RequestLanguageMixin:
    """Answer in the client's language. ``/api/`` lies outside ``i18n_patterns``, where Django's LocaleMiddleware
    always picks the default language; here the language cookie, then ``Accept-Language``, choose (LocaleMiddleware
    then sends ``Content-Language`` and ``Vary: Accept-Language``). Activated before authentication and
    throttling, so their errors are translated too."""

    def initial(self, request, *args, **kwargs):
        translation.activate(translation.get_language_from_request(request._request, check_path=False))
        request._request.LANGUAGE_CODE = translation.get_language()
        super().initial(request, *args, **kwargs)


class DatabaseUnavailableMixin:
    """Turn a lost database connection into 503 + Retry-After (never a 500)."""

    def handle_exception(self, exc):
        if isinstance(exc, OperationalError | InterfaceError):
            logger.warning("database unavailable in %s: %s", type(self).__name__, exc)
            return Response({"detail": _("The service is briefly unavailable. Please retry.")},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE,
                            headers={"Retry-After": str(RETRY_AFTER_S)})
        return super().handle_exception(exc)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


COMMON_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="CSRF token missing or wrong."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see the Retry-After header."),
    503: OpenApiResponse(ErrorSerializer, description="Database unavailable; retry after Retry-After seconds."),
}
