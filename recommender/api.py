"""The recommender's HTTP API: event ingestion and the personal feed (DRF, documented with drf-spectacular).

Both endpoints use session authentication with CSRF enforced for anonymous sessions too (a browser beacon
sends ``X-CSRFToken``; ``GET /api/feed`` sets the ``csrftoken`` cookie). When the database is unavailable they
answer 503 with ``Retry-After`` instead of a 500, so clients retry the same batch (idempotent on ``event_id``).
"""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from . import selectors, services
from .serializers import (
    MAX_EVENTS,
    BatchErrorSerializer,
    ErrorSerializer,
    EventBatchSerializer,
    EventSerializer,
    FeedQuerySerializer,
    FeedResponseSerializer,
    IngestResponseSerializer,
    fast_event,
)

logger = logging.getLogger(__name__)
RETRY_AFTER_S = 5


class CsrfSessionAuthentication(SessionAuthentication):
    """Session authentication that checks CSRF for anonymous sessions as well as logged-in users."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None and request._request.method not in ("GET", "HEAD", "OPTIONS"):
            self.enforce_csrf(request)
        return result


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
    request (``ResilientRedisCache.hit``: one round trip); a burst can reach twice the rate across a window's
    end. Elsewhere (the database cache of development) DRF's sliding log of request times.
    """

    _retry_after: float | None = None

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        hit = getattr(self.cache, "hit", None)
        if self.rate is None or hit is None:
            return super().allow_request(request, view)
        # its own key name: DRF's sliding log keeps a pickled list under the plain key (e.g. before a deploy)
        self.key = f"{self.get_cache_key(request, view)}:n"
        count, seconds_left = hit(self.key, self.duration)
        if count <= self.num_requests:  # 0: Redis unreachable, the request goes through
            return True
        self._retry_after = max(seconds_left, 1.0)
        return False

    def wait(self):
        return self._retry_after if self._retry_after is not None else super().wait()

    def get_ident(self, request):
        """The client address: ``REMOTE_ADDR`` unless ``NUM_PROXIES`` says how many proxies to trust (DRF's
        default would otherwise believe any client-sent X-Forwarded-For and hand out fresh budgets)."""
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        ident = f"u{user.pk}" if user is not None and user.is_authenticated else f"ip{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class EventsThrottle(ClientRateThrottle):
    scope = "events"


class FeedThrottle(ClientRateThrottle):
    scope = "feed"


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


COMMON_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="CSRF token missing or wrong."),
    429: OpenApiResponse(ErrorSerializer, description="Too many requests; see the Retry-After header."),
    503: OpenApiResponse(ErrorSerializer, description="Database unavailable; retry after Retry-After seconds."),
}


def _flatten(errors, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            out.update(_flatten(value, f"{prefix}{key}."))
    elif isinstance(errors, list) and errors and all(not isinstance(e, dict | list) for e in errors):
        out[prefix.rstrip(".") or "non_field_errors"] = [str(e) for e in errors]
    elif isinstance(errors, list):
        for e in errors:
            out.update(_flatten(e, prefix))
    else:
        out[prefix.rstrip(".") or "non_field_errors"] = [str(errors)]
    return out


class EventsView(RequestLanguageMixin, DatabaseUnavailableMixin, APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [EventsThrottle]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="events_ingest",
        summary="Log a batch of interaction events",
        description=(
            f"Up to {MAX_EVENTS} events from the logged-in learner or, anonymously, the session (created when "
            "missing). Each event is validated on its own: the response lists the accepted event ids and, for "
            "each refused one, its index and errors. A batch with no valid event is a 400. Retrying a batch is "
            "safe: an event id already stored is reported under `duplicates` and stored nothing."
        ),
        request=EventBatchSerializer,
        responses={
            200: IngestResponseSerializer,
            400: OpenApiResponse(BatchErrorSerializer, description="Malformed JSON, too many events, or no "
                                 "valid event."),
            **COMMON_ERRORS,
        },
        examples=[OpenApiExample("One click", request_only=True, value={"events": [{
            "event_id": "0b7e4d1c-2f7e-4d8b-9b39-3d1c3b0b9f10", "type": "click", "course": 12,
            "ts": "2026-11-23T12:00:00Z", "context": {"surface": "home", "position": 3}}]})],
    )
    def post(self, request):
        data = request.data  # malformed JSON raises ParseError -> 400
        events = data.get("events") if isinstance(data, dict) else None
        if not isinstance(events, list) or not events:
            return Response({"detail": _("Send a JSON object with a non-empty list under \"events\".")},
                            status=status.HTTP_400_BAD_REQUEST)
        if len(events) > MAX_EVENTS:
            return Response({"detail": _("At most %(n)d events per batch.") % {"n": MAX_EVENTS}},
                            status=status.HTTP_400_BAD_REQUEST)
        valid, refused = [], []
        child = None  # the serializer, built only when an event needs it (one instance validates them all)
        now, tz = timezone.now(), timezone.get_current_timezone()
        for index, raw in enumerate(events):
            # Plainly valid events skip DRF's per-field machinery (same result, see serializers.fast_event);
            # anything else is validated by the serializer, which also writes every error message.
            data = fast_event(raw, now, tz)
            if data is None:
                if child is None:
                    child = EventSerializer()
                try:
                    data = child.run_validation(raw)
                except ValidationError as exc:
                    event_id = raw.get("event_id") if isinstance(raw, dict) else None
                    refused.append({"index": index,
                                    "event_id": str(event_id)[:64] if event_id is not None else None,
                                    "errors": _flatten(exc.detail)})
                    continue
            data["index"] = index
            valid.append(data)
        session_key = ""
        if valid and not request.user.is_authenticated:
            if not request.session.session_key:
                request.session.create()
            session_key = request.session.session_key
        result = services.events_ingest(events=valid, user=request.user, session_key=session_key)
        refused = sorted(refused + result.refused, key=lambda r: r["index"])
        if not result.accepted:
            return Response({"detail": _("No event in the batch was valid."), "refused": refused},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"accepted": result.accepted, "stored": len(result.stored),
                         "duplicates": result.duplicates, "refused": refused})


class FeedView(RequestLanguageMixin, DatabaseUnavailableMixin, APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [FeedThrottle]

    @extend_schema(
        operation_id="feed",
        summary="The visitor's personal course feed",
        description=(
            "Top published courses for the logged-in learner (or popular ones for an anonymous visitor), each "
            "with a short reason in the request's language. Courses the learner owns are never included. "
            "The impressions are logged with their positions (surface `api`). Sets the `csrftoken` cookie."
        ),
        parameters=[FeedQuerySerializer],
        responses={200: FeedResponseSerializer,
                   400: OpenApiResponse(ErrorSerializer, description="Invalid limit (1 to 50)."),
                   429: COMMON_ERRORS[429], 503: COMMON_ERRORS[503]},
    )
    def get(self, request):
        query = FeedQuerySerializer(data=request.query_params)
        if not query.is_valid():
            return Response({"detail": " ".join(f"{field}: {m}" for field, ms in query.errors.items() for m in ms)},
                            status=400)
        get_token(request._request)
        items = selectors.feed_for_request(request, limit=query.validated_data.get("limit", 20), surface="api")
        return Response({
            "version": selectors.active_version_id(),
            "items": [
                {"position": n, "reason": item["reason"], "reason_code": item["reason_code"],
                 "course": {"id": c.pk, "title": c.title, "url": c.get_absolute_url(), "category": str(c.category),
                            "storefront": c.storefront.name, "price": f"{c.price:.2f}"}}
                for n, item in enumerate(items, start=1) for c in [item["course"]]
            ],
        })
