"""``POST /api/events``: the interaction log's ingestion endpoint (DRF, documented with drf-spectacular).

Session authentication with CSRF enforced for anonymous sessions too; 503 with ``Retry-After`` when the database
is unavailable, so clients retry the same batch (idempotent on ``event_id``).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from courseplatform.accounts.client import client_ip
from courseplatform.api.base import (
    COMMON_ERRORS,
    BodyLimitMixin,
    ClientRateThrottle,
    CsrfSessionAuthentication,
    DatabaseUnavailableMixin,
    RequestLanguageMixin,
    SafeJSONParser,
)
from courseplatform.privacy.consent import tracking_allowed

from . import services, taggers
from .serializers import (
    MAX_EVENTS,
    BatchErrorSerializer,
    EventBatchSerializer,
    EventSerializer,
    IngestResponseSerializer,
    fast_event,
)


class EventsThrottle(ClientRateThrottle):
    """Per account (per address when anonymous)."""

    scope = "events"


class EventsAddressThrottle(ClientRateThrottle):
    """Per client address whoever is logged in: accounts registered by one client share its budget. The address
    is ``accounts.client.client_ip`` (trusts only ``TRUSTED_PROXY_COUNT`` proxies), as the log-in throttle's."""

    scope = "events_ip"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": f"ip{client_ip(request._request)}"}


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


class EventsView(RequestLanguageMixin, BodyLimitMixin, DatabaseUnavailableMixin, APIView):
    authentication_classes = [CsrfSessionAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [EventsThrottle, EventsAddressThrottle]
    parser_classes = [SafeJSONParser]

    def throttle_cache_reads(self, request, user_id: int | None) -> list[str]:
        """The taggers' cache keys, read in the throttle's round trip (``ClientRateThrottle``)."""
        return taggers.read_ahead_keys()

    @extend_schema(
        operation_id="events_ingest",
        summary="Log a batch of interaction events",
        description=(
            f"Up to {MAX_EVENTS} events from the logged-in learner or, anonymously, the session (created when "
            "missing). Each event is validated on its own: the response lists the accepted event ids and, for "
            "each refused one, its index and errors. A batch with no valid event is a 400. Without the "
            "visitor's consent to usage measurement (the privacy banner) valid events are not stored: `stored` "
            "is 0 and `consent` false. Retrying a batch is safe: an event id already stored is reported under "
            "`duplicates` and stored nothing."
        ),
        request=EventBatchSerializer,
        responses={
            200: IngestResponseSerializer,
            400: OpenApiResponse(BatchErrorSerializer, description="Malformed or too deeply nested JSON, a body "
                                 "over the size limit, too many events, or no valid event."),
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
        if valid and not tracking_allowed(request._request):
            # non-essential events without the visitor's consent: validated, answered, not stored
            return Response({"accepted": [], "stored": 0, "duplicates": [], "refused": refused,
                             "consent": False})
        session_key, returning = "", True
        if valid and not request.user.is_authenticated:
            if not request.session.session_key:
                request.session.create()
                returning = False
            session_key = request.session.session_key
        # Humanity bar: a client that did not bring back the session cookie of an earlier page view (a script
        # posting events cookieless) is stored but never counted in an experiment.
        result = services.events_ingest(events=valid, user=request.user, session_key=session_key,
                                        experiment_tags=returning, cache_reads=getattr(request, "cache_reads", None))
        refused = sorted(refused + result.refused, key=lambda r: r["index"])
        if not result.accepted:
            return Response({"detail": _("No event in the batch was valid."), "refused": refused},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({"accepted": result.accepted, "stored": len(result.stored),
                         "duplicates": result.duplicates, "refused": refused})
