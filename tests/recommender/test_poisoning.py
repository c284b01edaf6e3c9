"""Issue 22, item 2 replayed: thirty self-registered accounts each post one batch of events for a course nobody
has enrolled in (plus a few popular courses, to borrow their co-occurrence). Before the trust model the API
stored their ``enroll`` / ``complete`` / ``rate`` claims at full weight and the next retrain pushed the course into
real learners' feeds; now outcomes are refused and their client events count only a sliver in training."""

import json
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from courseplatform.catalog.models import Enrollment
from courseplatform.events.models import Interaction
from recommender.models import FeedItem
from recommender.training import train_version, trusted_learners
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.recommender.factories import catalogue, planted_interactions

pytestmark = pytest.mark.django_db
N_ATTACKERS = 30
TOP = 20


@pytest.fixture
def market():
    _cats, courses = catalogue(n_categories=10, per_category=4)
    learners = planted_interactions(courses, n_learners=60)
    type(learners[0]).objects.filter(pk__in=[u.pk for u in learners]).update(
        date_joined=timezone.now() - timedelta(days=60))  # established learners
    target = CourseFactory(storefront=courses[0].storefront, category=courses[0].category, title="Target")
    popular = courses[:3]
    return learners, target, popular


def _batch(target, popular) -> list[dict]:
    now = timezone.now()
    events = []
    for course in [target, *popular]:
        for kind in ("view", "click", "enroll", "complete", "rate"):
            events.append({"event_id": str(uuid.uuid4()), "type": kind, "course": course.pk, "value": 5,
                           "ts": (now - timedelta(seconds=len(events))).isoformat(), "context": {"surface": "home"}})
    return events


def _victims(learners, target) -> int:
    version = train_version(device="cpu")  # the platform's scheduled training (its own model selection)
    return FeedItem.objects.filter(version=version, user__in=learners, course=target, rank__lte=TOP).count()


def test_thirty_fresh_accounts_posting_outcome_events_do_not_push_a_course_into_real_learners_feeds(market):
    learners, target, popular = market
    attackers = [UserFactory() for _ in range(N_ATTACKERS)]

    # control: what the old API stored (outcome claims at full weight) does reach real learners' top 20
    rows = [Interaction(user=a, course_id=e["course"], type=e["type"], ts=timezone.now(),
                        value=e["value"] if e["type"] == "rate" else None, surface="home")
            for a in attackers for e in _batch(target, popular)]
    Interaction.objects.bulk_create(rows)
    assert _victims(learners, target) > 0
    Interaction.objects.filter(user__in=attackers).delete()

    # the attack through the API now: outcome claims refused, the rest stored, and down-weighted in training
    for attacker in attackers:
        client = Client()
        client.force_login(attacker)
        response = client.post("/api/events", json.dumps({"events": _batch(target, popular)}),
                               content_type="application/json")
        assert response.status_code == 200, response.content
        assert len(response.json()["refused"]) == 12  # enroll, complete, rate on four courses
    assert set(Interaction.objects.filter(user__in=attackers).values_list("type", flat=True)) == {"view", "click"}
    assert not Enrollment.objects.filter(course=target).exists()
    assert not {a.pk for a in attackers} & trusted_learners()
    assert _victims(learners, target) == 0


def test_a_new_accounts_clicks_count_a_sliver_on_courses_real_learners_vouch_for_and_nothing_elsewhere(settings):
    from recommender.training import _interaction_rows, training_weights

    settings.RECOMMENDER_UNVERIFIED_WEIGHT = 0.05
    veteran, newcomer = UserFactory(), UserFactory()
    type(veteran).objects.filter(pk=veteran.pk).update(date_joined=timezone.now() - timedelta(days=30))
    taken, untaken = CourseFactory(), CourseFactory()
    EnrollmentFactory(learner=veteran, course=taken)
    for user, course, kind in [(veteran, taken, "enroll"), (newcomer, taken, "click"), (newcomer, untaken, "view")]:
        Interaction.objects.create(user=user, course=course, type=kind, ts=timezone.now())
    rows = {(u, c): t for u, c, t, _ts, _v in _interaction_rows()}
    assert rows == {(veteran.pk, taken.pk): "enroll", (newcomer.pk, taken.pk): "click:unverified"}
    assert training_weights()["click:unverified"] == pytest.approx(0.05 * training_weights()["click"])
