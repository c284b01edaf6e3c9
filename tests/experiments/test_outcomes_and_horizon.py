"""Experiment outcomes come from the server, and the verdict is frozen at the fixed horizon (no peeking)."""

import json
import uuid
from datetime import timedelta

import pytest
from django.db.models import F
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from courseplatform.events.models import Interaction
from courseplatform.experiments import selectors, stats
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def post_events(client, course, type_, event_id=None):
    event = {"event_id": event_id or str(uuid.uuid4()), "type": type_, "course": course.pk,
             "ts": timezone.now().isoformat(), "context": {"surface": "course_page"}}
    return client.post("/api/events", json.dumps({"events": [event]}), content_type="application/json")


def post_event(client, course, type_):
    event_id = str(uuid.uuid4())
    response = post_events(client, course, type_, event_id)
    assert response.status_code == 200 and response.json()["stored"] == 1, response.content
    return Interaction.objects.get(event_id=event_id)


def test_a_client_posted_enroll_event_does_not_add_an_enrolment_to_a_variant(client, running, course, learner):
    client.force_login(learner)
    variant = selectors.variant_for(running, f"u:{learner.pk}").key
    client.get(course.get_absolute_url())  # server-logged exposure: an impression and a view

    for claim in ("enroll", "complete"):  # no enrolment was made: outcome events are the server's to log
        response = post_events(client, course, claim)
        assert response.status_code == 400 and "type" in response.json()["refused"][0]["errors"]
    clicked = post_event(client, course, "click")

    assert (clicked.experiment, clicked.variant) == (running.tag, variant)  # tagged by the server's assignment
    assert selectors.visitor_counts(running)[variant] == {"visitors": 1, "clickers": 1, "enrollers": 0}
    result = next(r for r in selectors.experiment_results(running)["variants"] if r.variant.key == variant)
    assert result.enrollers == 0

    course.price = 0  # free: one click enrols (a paid course enrols once its order is paid)
    course.save(update_fields=["price"])
    client.post(reverse("catalog:course_enroll", args=[course.pk]))  # a real enrolment, logged by the server
    assert selectors.visitor_counts(running)[variant] == {"visitors": 1, "clickers": 1, "enrollers": 1}


def test_an_enrolment_made_before_the_experiment_is_not_an_outcome_even_if_a_client_reports_it(
        client, running, course, learner):
    EnrollmentFactory(learner=learner, course=course, created_at=running.started_at - timedelta(days=2))
    client.force_login(learner)
    variant = selectors.variant_for(running, f"u:{learner.pk}").key
    assert post_events(client, course, "enroll").status_code == 400
    Interaction.objects.create(user=learner, course=course, type="enroll", ts=timezone.now(),
                               experiment=running.tag, variant=variant)  # as an older client could have logged
    assert selectors.visitor_counts(running)[variant]["enrollers"] == 0


def test_anonymous_enroll_rows_never_count_as_enrolments(running, course):
    Interaction.objects.create(session_key="anon", course=course, type="enroll", ts=timezone.now(),
                               experiment=running.tag, variant="A")
    assert selectors.visitor_counts(running)["A"] == {"visitors": 1, "clickers": 0, "enrollers": 0}


def _visitors(experiment, course, variant: str, start, n: int, clicked: int, prefix: str):
    """``n`` anonymous visitors of ``variant`` one minute apart from ``start``, the first ``clicked`` of them
    click through a minute after arriving; every row arrives promptly."""
    rows = []
    for i in range(n):
        common = dict(session_key=f"{prefix}-{variant}-{i}", course=course, experiment=experiment.tag,
                      variant=variant)
        ts = start + timedelta(minutes=i)
        rows.append(Interaction(type="impression", position=1, ts=ts, **common))
        if i < clicked:
            rows.append(Interaction(type="view", ts=ts + timedelta(seconds=30), **common))
    Interaction.objects.bulk_create(rows)
    Interaction.objects.filter(session_key__startswith=f"{prefix}-").update(received_at=F("ts"))


def _snapshot(experiment):
    results = selectors.experiment_results(experiment)
    verdict = results["verdict"]
    return (verdict.code, verdict.winner, [(c.key, c.test.p_value) for c in verdict.comparisons],
            [(r.variant.key, r.visitors, r.clickers, r.enrollers) for r in results["variants"]])


def test_more_data_after_the_horizon_does_not_change_the_verdict(running, course):
    type(running).objects.filter(pk=running.pk).update(min_sample_per_variant=40, primary_metric="click")
    running.refresh_from_db()
    start = timezone.now() - timedelta(days=10)  # the horizon plus the 7-day attribution window has passed
    _visitors(running, course, "A", start, 40, clicked=8, prefix="early")
    _visitors(running, course, "B", start, 40, clicked=20, prefix="early")
    frozen = _snapshot(running)
    results = selectors.experiment_results(running)
    assert frozen[0] == "winner" and frozen[1] == "B"
    assert results["horizon"].reached and results["horizon"].reached_at == start + timedelta(minutes=39)

    # after the horizon: many more visitors, for whom A converts far better, and the early A visitors who had
    # not clicked come back and click (after their attribution window)
    later = start + timedelta(days=8)
    _visitors(running, course, "A", later, 200, clicked=150, prefix="late")
    _visitors(running, course, "B", later, 200, clicked=10, prefix="late")
    Interaction.objects.bulk_create([
        Interaction(session_key=f"early-A-{i}", course=course, type="view", ts=later, experiment=running.tag,
                    variant="A") for i in range(8, 40)])
    Interaction.objects.filter(ts=later, type="view").update(received_at=F("ts"))
    # and a back-dated client event arriving now (received long after its time) is ignored as well
    Interaction.objects.create(session_key="backdated", course=course, type="view", ts=start,
                               experiment=running.tag, variant="A")

    assert _snapshot(running) == frozen
    horizon = selectors.experiment_results(running)["horizon"]
    assert horizon.seen == {"A": 240, "B": 240}  # everybody is seen, only the first 40 per variant analysed
    # re-testing on all the data (peeking after the horizon) would have flipped the verdict
    every = selectors.visitor_counts(running)
    peeked = stats.verdict([stats.Arm(k, every[k]["visitors"], every[k]["clickers"]) for k in ("A", "B")], 40)
    assert peeked.winner == "A"


def test_before_the_horizon_every_visitor_counts_and_the_verdict_waits(running, course):
    type(running).objects.filter(pk=running.pk).update(min_sample_per_variant=40, primary_metric="click")
    running.refresh_from_db()
    start = timezone.now() - timedelta(days=1)
    _visitors(running, course, "A", start, 50, clicked=5, prefix="early")
    _visitors(running, course, "B", start, 39, clicked=30, prefix="early")
    results = selectors.experiment_results(running)
    assert not results["horizon"].reached and results["verdict"].code == "keep_collecting"
    assert [(r.visitors, r.clickers) for r in results["variants"]] == [(50, 5), (39, 30)]


def test_the_experiment_page_says_the_verdict_is_frozen_at_the_horizon(client, creator, running, course):
    type(running).objects.filter(pk=running.pk).update(min_sample_per_variant=10)
    running.refresh_from_db()
    start = timezone.now() - timedelta(days=1)
    _visitors(running, course, "A", start, 12, clicked=2, prefix="early")
    _visitors(running, course, "B", start, 12, clicked=2, prefix="early")
    client.force_login(creator)
    page = client.get(reverse("experiments:detail", args=[running.storefront.slug, running.pk])).content.decode()
    assert "each variant&#x27;s first 10 visitors" in page or "each variant's first 10 visitors" in page
    assert "<th>Brand palette</th>" in page  # the arm column is named by the experiment's kind


def test_server_enrolments_count_once_per_learner_and_need_a_matching_enrollment(running, course):
    now = timezone.now()
    real, pretender = UserFactory(), UserFactory()
    EnrollmentFactory(learner=real, course=course, created_at=now)
    for who in (real, real, pretender):
        Interaction.objects.create(user=who, course=course, type="enroll", ts=now, experiment=running.tag,
                                   variant="A")
    assert selectors.server_enrollers(running) == {"A": {f"u:{real.pk}"}}


def test_late_visitors_outcomes_within_the_attribution_window_count_and_then_the_result_is_final(running, course):
    """The slower arm's last visitors arrive at the horizon: their clicks days later still count (each visitor
    has the same 7-day window), clicks after a visitor's window do not, and once the horizon plus the window has
    passed nothing changes the result any more."""
    type(running).objects.filter(pk=running.pk).update(min_sample_per_variant=10, primary_metric="click")
    running.refresh_from_db()
    start = timezone.now() - timedelta(days=20)
    _visitors(running, course, "A", start, 10, clicked=2, prefix="fast")
    arrive = start + timedelta(days=2)  # B is the slower arm: its visitors arrive two days later
    _visitors(running, course, "B", arrive, 10, clicked=0, prefix="slow")
    rows = [Interaction(session_key=f"slow-B-{i}", course=course, type="click", experiment=running.tag,
                        variant="B", ts=arrive + timedelta(minutes=i, days=3)) for i in range(8)]  # in the window
    rows += [Interaction(session_key=f"slow-B-{i}", course=course, type="click", experiment=running.tag,
                         variant="B", ts=arrive + timedelta(minutes=i, days=8)) for i in (8, 9)]  # too late
    Interaction.objects.bulk_create(rows)
    Interaction.objects.filter(experiment=running.tag).update(received_at=F("ts"))

    results = selectors.experiment_results(running)
    horizon = results["horizon"]
    assert horizon.reached_at == arrive + timedelta(minutes=9)
    assert horizon.final_at == horizon.reached_at + timedelta(days=7, hours=1) and horizon.final
    assert [(r.variant.key, r.visitors, r.clickers) for r in results["variants"]] == [("A", 10, 2), ("B", 10, 8)]
    frozen = _snapshot(running)
    assert frozen[:2] == ("winner", "B")

    # after the horizon plus the window: the cohort's further clicks and new visitors change nothing
    after = horizon.final_at + timedelta(minutes=1)
    Interaction.objects.bulk_create([Interaction(session_key=f"fast-A-{i}", course=course, type="view",
                                                 experiment=running.tag, variant="A", ts=after) for i in range(10)])
    _visitors(running, course, "A", after, 30, clicked=30, prefix="later")
    Interaction.objects.filter(ts=after).update(received_at=F("ts"))
    assert _snapshot(running) == frozen


def test_the_verdict_waits_for_the_attribution_window_after_the_horizon(client, creator, running, course):
    type(running).objects.filter(pk=running.pk).update(min_sample_per_variant=40, primary_metric="click")
    running.refresh_from_db()
    start = timezone.now() - timedelta(days=10)
    _visitors(running, course, "A", start, 40, clicked=8, prefix="early")
    _visitors(running, course, "B", start, 40, clicked=20, prefix="early")
    with override_settings(EXPERIMENTS_ATTRIBUTION_WINDOW=timedelta(days=30)):
        results = selectors.experiment_results(running)
        assert results["horizon"].reached and not results["horizon"].final
        assert (results["verdict"].code, results["verdict"].winner) == ("pending_attribution", None)
        assert "Waiting for the attribution window" in results["verdict_text"]
        client.force_login(creator)
        page = client.get(reverse("experiments:detail", args=[running.storefront.slug, running.pk]))
        assert "Promote the winner" not in page.content.decode()
    assert _snapshot(running)[:2] == ("winner", "B")  # the default 7-day window has closed


def test_visitor_counts_use_a_bounded_number_of_queries(running, course, django_assert_max_num_queries):
    start = timezone.now() - timedelta(days=1)
    _visitors(running, course, "A", start, 60, clicked=6, prefix="many")
    _visitors(running, course, "B", start, 50, clicked=10, prefix="many")
    with django_assert_max_num_queries(3):
        counts = selectors.visitor_counts(running)
    assert counts == {"A": {"visitors": 60, "clickers": 6, "enrollers": 0},
                      "B": {"visitors": 50, "clickers": 10, "enrollers": 0}}


def test_the_page_and_its_chart_compute_the_analysed_counts_once(client, creator, running, course, monkeypatch):
    _visitors(running, course, "A", timezone.now() - timedelta(days=1), 5, clicked=1, prefix="once")
    calls = []
    real = selectors.analysed_counts
    monkeypatch.setattr(selectors, "analysed_counts", lambda experiment: calls.append(1) or real(experiment))
    client.force_login(creator)
    args = [running.storefront.slug, running.pk]
    assert client.get(reverse("experiments:detail", args=args)).status_code == 200
    assert client.get(reverse("experiments:chart", args=args)).status_code == 200
    assert len(calls) == 1
    _visitors(running, course, "B", timezone.now(), 1, clicked=0, prefix="new")  # a new row: recomputed
    assert selectors.experiment_results(running)["variants"][1].visitors == 1 and len(calls) == 2
