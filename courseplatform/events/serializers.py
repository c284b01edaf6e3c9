"""DRF serializers of ``POST /api/events`` (they also document it in the OpenAPI schema)."""

import math
import re
import uuid
from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import CLIENT_EVENT_TYPES

MAX_EVENTS = 500
MAX_FUTURE = timedelta(minutes=5)
MAX_AGE = timedelta(days=30)
SURFACE_PATTERN = r"^[a-z][a-z0-9_-]{0,31}$"


class EventContextSerializer(serializers.Serializer):
    surface = serializers.RegexField(SURFACE_PATTERN, max_length=32,
                                     help_text=_("Where the course was shown, e.g. home, api, search."))
    position = serializers.IntegerField(min_value=1, max_value=10_000, required=False, allow_null=True,
                                        help_text=_("1-based position in the list shown."))
    experiment = serializers.CharField(max_length=64, required=False, allow_blank=True)
    variant = serializers.CharField(max_length=64, required=False, allow_blank=True)


class EventSerializer(serializers.Serializer):
    event_id = serializers.UUIDField(help_text=_("Client-generated id; a retried event with the same id is "
                                                 "stored once."))
    type = serializers.ChoiceField(
        choices=[(t.value, t.label) for t in CLIENT_EVENT_TYPES],
        error_messages={"invalid_choice": _("Only view, click and impression events can be sent; enrolments, "
                                            "completions and ratings are logged by the site itself.")},
        help_text=_("view, click or impression."))
    # the upper bound is the database's bigint: a larger id is a 400, not an OverflowError (found by QA)
    course = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("Id of a published course."))
    ts = serializers.DateTimeField(help_text=_("When it happened (ISO 8601 with a time zone); not more than "
                                               "30 days old or 5 minutes in the future."))
    value = serializers.FloatField(required=False, allow_null=True,
                                   help_text=_("An optional number (e.g. seconds watched); not used in training."))
    context = EventContextSerializer()

    def validate_ts(self, value):
        now = timezone.now()
        if value > now + MAX_FUTURE:
            raise serializers.ValidationError(_("The time is in the future."))
        if value < now - MAX_AGE:
            raise serializers.ValidationError(_("The event is too old."))
        return value

    def validate(self, attrs):
        value = attrs.get("value")
        if value is not None and not -1e6 <= value <= 1e6:
            raise serializers.ValidationError({"value": [_("Out of range.")]})
        return attrs


# --- the hot path's fast validator -----------------------------------------------------------------------------
# ``EventSerializer`` stays the documented schema and the source of every error message; the events API first
# tries ``fast_event`` below, which accepts only plainly valid events (JSON types exactly as documented) and
# returns exactly what ``EventSerializer().run_validation`` would. Anything it is not sure about returns None
# and goes through the serializer, so refused events get the serializer's own messages.
# tests/events/test_fast_validator.py checks the agreement with hypothesis.

_EVENT_TYPES = frozenset(t.value for t in CLIENT_EVENT_TYPES)
_SURFACE = re.compile(SURFACE_PATTERN.removeprefix("^").removesuffix("$"))  # fullmatch: no trailing newline
_MISSING = object()
_MAX_ID = 2**63 - 1


def _tag(value):
    """A context ``experiment`` / ``variant`` the CharField would keep as is, else _MISSING."""
    if type(value) is str and len(value) <= 64 and value.isascii() and "\x00" not in value and value == value.strip():
        return value
    return _MISSING


def fast_event(raw, now, tz) -> dict | None:
    """``EventSerializer().run_validation(raw)`` for a plainly valid event, else None (validate it with the
    serializer). ``now`` is the request's ``timezone.now()``, ``tz`` the current time zone."""
    if type(raw) is not dict:
        return None
    event_id, event_type, course, ts = raw.get("event_id"), raw.get("type"), raw.get("course"), raw.get("ts")
    context = raw.get("context")
    if (type(event_id) is not str or type(event_type) is not str or event_type not in _EVENT_TYPES
            or type(course) is not int or not 1 <= course <= _MAX_ID or type(ts) is not str
            or type(context) is not dict):
        return None
    try:
        event_uuid = uuid.UUID(event_id)
        when = parse_datetime(ts)
        if when is None or when.utcoffset() is None:  # unparsable, or naive: the serializer decides
            return None
        when = when.astimezone(tz)
    except (ValueError, TypeError, OverflowError):
        return None
    if when > now + MAX_FUTURE or when < now - MAX_AGE:
        return None
    out = {"event_id": event_uuid, "type": event_type, "course": course, "ts": when}
    value = raw.get("value", _MISSING)
    if value is not _MISSING:
        if value is not None:
            if type(value) is not int and type(value) is not float:
                return None
            try:
                value = float(value)
            except OverflowError:
                return None
            if not math.isfinite(value):
                return None
        out["value"] = value
    if value is not _MISSING and value is not None and not -1e6 <= value <= 1e6:
        return None
    surface = context.get("surface")
    if type(surface) is not str or not _SURFACE.fullmatch(surface):
        return None
    ctx = {"surface": surface}
    position = context.get("position", _MISSING)
    if position is not _MISSING:
        if position is not None and (type(position) is not int or not 1 <= position <= 10_000):
            return None
        ctx["position"] = position
    for name in ("experiment", "variant"):
        tag = context.get(name, _MISSING)
        if tag is not _MISSING:
            if _tag(tag) is _MISSING:
                return None
            ctx[name] = tag
    out["context"] = ctx
    return out


class EventBatchSerializer(serializers.Serializer):
    """The request body: ``{"events": [...]}``. Each event is validated on its own (see the response)."""

    events = serializers.ListField(child=EventSerializer(), min_length=1, max_length=MAX_EVENTS)


class RefusedEventSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text=_("Position of the event in the batch (0-based)."))
    event_id = serializers.CharField(allow_null=True)
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


class IngestResponseSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=serializers.CharField(),
                                     help_text=_("Event ids accepted (stored now or stored before)."))
    stored = serializers.IntegerField(help_text=_("How many events were written by this request."))
    duplicates = serializers.ListField(child=serializers.CharField(),
                                       help_text=_("Event ids already stored (a retry); nothing was written."))
    refused = RefusedEventSerializer(many=True)
    consent = serializers.BooleanField(required=False, help_text=_(
        "Present and false when the visitor has not allowed usage measurement: nothing was stored."))


class BatchErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    refused = RefusedEventSerializer(many=True, required=False)
