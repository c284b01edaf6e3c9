"""The retention period of the interaction log (EVENTS_RETENTION_DAYS / EVENTS_RETENTION_ACTION), on either
database: old events are detached from the person or deleted, in batches; newer ones are untouched."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone

from courseplatform.events import retention, tasks
from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory
from workers import routing


def log(course, *, days_ago: float, user=None, session_key: str = "", type: str = "view") -> Interaction:
    return Interaction.objects.create(event_id=uuid.uuid4(), user=user, session_key=session_key, course=course,
                                      type=type, ts=timezone.now() - dt.timedelta(days=days_ago))


@pytest.fixture
def history(db):
    course, learner = CourseFactory(), UserFactory()
    old = [log(course, days_ago=40 + n, user=learner, type="enroll") for n in range(5)]
    old += [log(course, days_ago=45, session_key="anon-session")]
    new = [log(course, days_ago=5, user=learner), log(course, days_ago=1, session_key="anon-2")]
    return {"course": course, "learner": learner, "old": old, "new": new}


def test_events_older_than_the_period_are_detached_from_the_person_in_batches(settings, history):
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 30, "anonymise"
    result = retention.retention_apply(batch=2)
    assert result.action == "anonymise" and result.anonymised == 6 and result.deleted == 0
    old = Interaction.objects.filter(pk__in=[r.pk for r in history["old"]])
    assert old.count() == 6 and set(old.values_list("user_id", "session_key")) == {(None, "")}
    assert set(old.values_list("type", flat=True)) == {"enroll", "view"}  # the event itself stays (course counts)
    new = {r.pk: (r.user_id, r.session_key) for r in Interaction.objects.filter(
        pk__in=[r.pk for r in history["new"]])}
    assert new == {history["new"][0].pk: (history["learner"].pk, ""), history["new"][1].pk: (None, "anon-2")}
    assert retention.retention_apply(batch=2).anonymised == 0  # nothing left to do


def test_drop_deletes_events_older_than_the_period_and_keeps_the_rest(settings, history):
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 30, "drop"
    result = retention.retention_apply(batch=4)
    assert result.action == "drop" and result.anonymised == 0
    assert result.deleted == 6  # batched: no month partition lies wholly before the cut-off here
    assert set(Interaction.objects.values_list("pk", flat=True)) == {r.pk for r in history["new"]}


def test_a_zero_period_keeps_every_event(settings, history):
    settings.EVENTS_RETENTION_DAYS = 0
    result = retention.retention_apply()
    assert result.cutoff is None and Interaction.objects.count() == 8
    assert Interaction.objects.filter(user__isnull=False).count() == 6


def test_an_unknown_action_is_a_configuration_error(settings, history):
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 30, "shred"
    with pytest.raises(ImproperlyConfigured, match="EVENTS_RETENTION_ACTION"):
        retention.retention_apply()
    assert Interaction.objects.filter(user__isnull=False).count() == 6


def test_the_beat_schedule_runs_the_upkeep_task(settings, history):
    entry = routing.beat_schedule()["maintain-events"]
    assert entry["task"] == "events.maintain" == tasks.maintain.name and entry["schedule"] > 0
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 30, "anonymise"
    summary = tasks.maintain.apply().get()
    assert summary["anonymised"] == 6 and summary["action"] == "anonymise"


def test_the_management_command_reports_what_it_did(settings, history, capsys):
    settings.EVENTS_RETENTION_DAYS, settings.EVENTS_RETENTION_ACTION = 42, "drop"
    call_command("events_maintain", "--batch", "3")
    out = capsys.readouterr().out
    assert "partitions created" in out and "retention (drop before" in out and "4 deleted" in out
    assert Interaction.objects.count() == 4
