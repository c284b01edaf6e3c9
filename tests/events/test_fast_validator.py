"""The events API's fast validator agrees with ``EventSerializer`` (the documented schema).

``fast_event`` may only say "valid" (returning exactly the serializer's validated data) or "not sure" (None:
the serializer validates the event and writes the errors). So: whenever it accepts, the serializer accepts
with the same data; every plainly valid event is accepted by it (or the hot path would not be fast); and a
batch gets the same response with the fast path as with the serializer alone.
"""

import json
import math
import uuid
from datetime import UTC, timedelta
from datetime import timezone as dt_timezone
from unittest import mock

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from courseplatform.events.models import CLIENT_EVENT_TYPES, EventType, Interaction
from courseplatform.events.serializers import EventSerializer, fast_event
from tests.factories import CourseFactory, UserFactory

TYPES = [t.value for t in EventType]  # outcome types included: both validators must refuse them
CLIENT_TYPES = [t.value for t in CLIENT_EVENT_TYPES]


def serializer_result(raw):
    try:
        return dict(EventSerializer().run_validation(raw))
    except ValidationError:
        return None


def normalised(data):
    return {**data, "context": dict(data["context"])} if data and "context" in data else data


# --- strategies: documented shapes, near misses and junk --------------------------------------------------
junk = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=True),
                 st.text(max_size=8), st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                           st.integers(), max_size=2))
# seconds from now, away from the ±5 minute / 30 day borders (the two validators read the clock apart)
offsets = st.one_of(st.integers(-30 * 86400 + 5, 295), st.integers(305, 10**6), st.integers(-10**8, -30 * 86400 - 5))


@st.composite
def timestamps(draw):
    when = timezone.now() + timedelta(seconds=draw(offsets), microseconds=draw(st.integers(0, 999_999)))
    style = draw(st.sampled_from(["z", "utc", "offset", "naive", "space", "junk", "date"]))
    if style == "z":
        return when.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if style == "utc":
        return when.astimezone(UTC).isoformat()
    if style == "offset":
        return when.astimezone(dt_timezone(timedelta(hours=draw(st.integers(-12, 14))))).isoformat()
    if style == "naive":
        return when.astimezone(UTC).replace(tzinfo=None).isoformat()
    if style == "space":
        return when.astimezone(UTC).isoformat(sep=" ")
    if style == "date":
        return when.date().isoformat()
    return draw(st.text(max_size=30))


event_ids = st.one_of(st.uuids().map(str), st.uuids().map(lambda u: u.hex), st.uuids().map(lambda u: str(u).upper()),
                      st.uuids().map(lambda u: f"{{{u}}}"), st.integers(0, 2**128 - 1), st.text(max_size=40))
courses = st.one_of(st.integers(-5, 10**6), st.integers(2**63 - 2, 2**64), st.sampled_from(["12", "1.0", 3.0, True]))
values = st.one_of(st.integers(-10**7, 10**7), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([None, 1, 5, 4.5, 0.99, 5.01, "3", True, 10**400]))
surfaces = st.one_of(st.from_regex(r"\A[a-z][a-z0-9_-]{0,31}\Z"), st.sampled_from(["home", " home", "home\n", "Home",
                                                                                   "", "a" * 33, "<script>", 5]),
                     st.text(max_size=40))
positions = st.one_of(st.integers(-2, 10_002), st.sampled_from([None, "3", 2.0, True]))
tags = st.one_of(st.text(max_size=70), st.sampled_from(["", " a ", "a\x00b", "x" * 64, "x" * 65, "\ud800", 7, None]))


@st.composite
def contexts(draw):
    ctx = {}
    if draw(st.integers(0, 9)):
        ctx["surface"] = draw(surfaces)
    for name, strategy in (("position", positions), ("experiment", tags), ("variant", tags)):
        if draw(st.booleans()):
            ctx[name] = draw(strategy)
    if draw(st.integers(0, 5)) == 0:
        ctx[draw(st.text(max_size=5))] = draw(junk)
    return ctx


@st.composite
def events(draw):
    e = {"event_id": draw(event_ids), "type": draw(st.one_of(st.sampled_from(TYPES), st.text(max_size=9))),
         "course": draw(courses), "ts": draw(timestamps()), "context": draw(st.one_of(contexts(), junk))}
    if draw(st.booleans()):
        e["value"] = draw(values)
    for name in list(e):  # sometimes a field is missing or of the wrong type
        roll = draw(st.integers(0, 19))
        if roll == 0:
            del e[name]
        elif roll == 1:
            e[name] = draw(junk)
    return draw(st.one_of(st.just(e), junk)) if draw(st.integers(0, 19)) == 0 else e


@st.composite
def plain_valid_events(draw):
    """Events as a well-behaved client sends them (what the bench and the beacon send)."""
    kind = draw(st.sampled_from(CLIENT_TYPES))
    e = {"event_id": str(draw(st.uuids())), "type": kind, "course": draw(st.integers(1, 10**9)),
         "ts": (timezone.now() + timedelta(seconds=draw(st.integers(-29 * 86400, 240)))).isoformat(),
         "context": {"surface": draw(st.from_regex(r"\A[a-z][a-z0-9_-]{0,31}\Z"))}}
    if draw(st.booleans()):
        e["value"] = draw(st.one_of(st.none(), st.floats(-1e6, 1e6), st.integers(-10**6, 10**6)))
    if draw(st.booleans()):
        e["context"]["position"] = draw(st.one_of(st.none(), st.integers(1, 10_000)))
    for name in ("experiment", "variant"):
        if draw(st.booleans()):
            e["context"][name] = draw(st.from_regex(r"\A[a-z0-9-]{0,64}\Z"))
    return e


def fast(raw):
    return fast_event(raw, timezone.now(), timezone.get_current_timezone())


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(events())
def test_whatever_the_fast_validator_accepts_the_serializer_accepts_identically(raw):
    got = fast(raw)
    if got is not None:
        expected = serializer_result(raw)
        assert expected is not None, raw
        assert normalised(got) == normalised(expected), raw
        assert type(got["event_id"]) is uuid.UUID and got["ts"].tzinfo is not None
        if "value" in got and got["value"] is not None:
            assert type(got["value"]) is float and math.isfinite(got["value"])


@settings(max_examples=500, deadline=None)
@given(plain_valid_events())
def test_plainly_valid_events_take_the_fast_path_with_the_serializers_result(raw):
    got = fast(raw)
    assert got is not None, raw
    assert normalised(got) == normalised(serializer_result(raw))


@pytest.mark.parametrize("raw", [
    {"type": "click"}, "x", None, 42, [],
    {"event_id": "nope", "type": "click", "course": 1, "ts": "2026-01-01T00:00:00Z", "context": {"surface": "a"}},
])
def test_it_leaves_invalid_events_to_the_serializer(raw):
    assert fast(raw) is None and serializer_result(raw) is None


@pytest.mark.parametrize("kind", ["enroll", "complete", "rate", "wishlist", "purchase"])
def test_outcome_event_types_are_refused_by_both_validators(kind):
    raw = {"event_id": str(uuid.uuid4()), "type": kind, "course": 1, "ts": timezone.now().isoformat(),
           "value": 5, "context": {"surface": "home"}}
    assert fast(raw) is None and serializer_result(raw) is None


def _post(client, payload):
    return client.post("/api/events", json.dumps(payload), content_type="application/json")


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(batch=st.lists(st.one_of(events(), plain_valid_events()), min_size=1, max_size=6))
def test_a_batch_gets_the_same_response_with_and_without_the_fast_path(batch):
    """Per-event errors, accepted ids and status are the serializer's, event for event."""
    from django.core.cache import cache
    from django.test import Client

    cache.clear()  # the throttle's budget
    course = CourseFactory()
    for e in batch:  # point the well-formed course ids at a real course half of the time
        if isinstance(e, dict) and isinstance(e.get("course"), int) and e["course"] % 2:
            e["course"] = course.pk
    client = Client()
    client.force_login(UserFactory())
    Interaction.objects.all().delete()  # examples share the test's transaction
    with_fast = _post(client, {"events": batch})
    Interaction.objects.all().delete()
    with mock.patch("courseplatform.events.api.fast_event", return_value=None):
        serializer_only = _post(client, {"events": batch})
    assert with_fast.status_code == serializer_only.status_code
    assert with_fast.json() == serializer_only.json()
