"""``GET /api/feed``: the visitor's personal course feed (DRF, documented with drf-spectacular).

The shared API pieces (CSRF-checked session authentication, throttling, language, 503 on a lost database) come
from :mod:`courseplatform.api.base`; the impressions of the feed shown are logged through the events services.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from courseplatform.api.base import (
    COMMON_ERRORS,
    ClientRateThrottle,
    CsrfSessionAuthentication,
    DatabaseUnavailableMixin,
    ErrorSerializer,
    RequestLanguageMixin,
)
from courseplatform.events.services import visitor_impressions_log

from . import selectors
from .serializers import FeedQuerySerializer, FeedResponseSerializer


class FeedThrottle(ClientRateThrottle):
    scope = "feed"


#: a course shown to the same visitor again within this many seconds is not a new impression
IMPRESSION_DEDUPE_S = 600


def _first_showing(request, course_ids: list[int]) -> bool:
    """Whether this feed shows the visitor a course not already logged as shown in the window (then the whole
    list is logged, positions intact, and its courses marked). A client polling ``/api/feed?limit=50`` wrote 50
    impression rows per call (issue 22, item 4); now at most one list per window while the feed is unchanged."""
    user = request.user
    visitor = f"u{user.pk}" if user.is_authenticated else f"s{request._request.session.session_key or ''}"
    if not course_ids or visitor == "s":
        return bool(course_ids)  # no session: the log writes nothing anyway
    window = int(time.time() // IMPRESSION_DEDUPE_S)
    keys = {f"feed-shown:{visitor}:{window}:{course_id}": course_id for course_id in course_ids}
    if len(cache.get_many(list(keys))) == len(keys):
        return False
    cache.set_many(dict.fromkeys(keys, 1), IMPRESSION_DEDUPE_S)
    return True


#: the query's one field, bound once: validating a value changes nothing on it, and a serializer per request would
#: deep-copy its fields (a tenth of a warm feed request's own work)
_LIMIT = FeedQuerySerializer().fields["limit"]


class FeedView(RequestLanguageMixin, DatabaseUnavailableMixin, APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [FeedThrottle]

    def throttle_cache_reads(self, request, user_id: int | None) -> list[str]:
        """The feed's cache keys, read in the throttle's round trip (:class:`ClientRateThrottle`)."""
        return selectors.feed_cache_keys(user_id)

    @extend_schema(
        operation_id="feed",
        summary="The visitor's personal course feed",
        description=(
            "Top published courses for the logged-in learner (or popular ones for an anonymous visitor), each "
            "with a short reason in the request's language. Courses the learner owns are never included. "
            "The impressions are logged with their positions (surface `api`), once per window while the feed is "
            "unchanged. Sets the `csrftoken` cookie."
        ),
        parameters=[FeedQuerySerializer],
        responses={200: FeedResponseSerializer,
                   400: OpenApiResponse(ErrorSerializer, description="Invalid limit (1 to 50)."),
                   429: COMMON_ERRORS[429], 503: COMMON_ERRORS[503]},
    )
    def get(self, request):
        try:
            limit = _LIMIT.run_validation(_LIMIT.get_value(request.query_params))
        except ValidationError as exc:
            return Response({"detail": " ".join(f"limit: {m}" for m in exc.detail)}, status=400)
        if settings.CSRF_COOKIE_NAME not in request.COOKIES:  # the cookie is set once, not rotated per poll
            get_token(request._request)
        payload = selectors.feed_payload(request, limit=limit, got=getattr(request, "cache_reads", None))
        window = int(time.time() // IMPRESSION_DEDUPE_S)
        if payload.get("logged") != window:  # this learner's list not yet dealt with in this window
            if _first_showing(request, payload["ids"]):
                visitor_impressions_log(request._request, course_ids=payload["ids"], surface="api")
            selectors.feed_payload_mark_logged(request, limit, window)
        return HttpResponse(payload["body"], content_type="application/json")
