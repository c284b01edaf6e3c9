"""Participation analytics: participants vs the storefront's other learners, per mechanic (chart and CSV)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courseplatform.engagement import selectors, services
from courseplatform.engagement.models import GoalKind
from tests.factories import EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def population(storefront, creator, free_course):
    """4 learners enrolled; 2 of them (both completed) joined a challenge; 1 more learner joined and never enrolled;
    nobody voted."""
    challenge = services.challenge_create(storefront=storefront, actor=creator, title="C", goal=GoalKind.LESSONS,
                                          target=1, ends_at=timezone.now() + timedelta(days=3))
    learners = [UserFactory() for _ in range(5)]
    for i, learner in enumerate(learners[:4]):
        EnrollmentFactory(learner=learner, course=free_course,
                          completed_at=timezone.now() if i in (0, 1, 2) else None)
    for learner in (learners[0], learners[1], learners[4]):
        services.challenge_join(challenge=challenge, learner=learner)
    return learners


def test_rates_and_lift_compare_participants_with_the_other_learners(storefront, population):
    rows = {r.key: r for r in selectors.participation_analytics(storefront)}
    challenges = rows["challenges"]
    assert (challenges.participants.learners, challenges.participants.enrolled,
            challenges.participants.completed) == (3, 2, 2)
    assert (challenges.others.learners, challenges.others.enrolled, challenges.others.completed) == (2, 2, 1)
    assert challenges.participants.enrol_rate == pytest.approx(2 / 3)
    assert challenges.completion_lift == pytest.approx(1.0 / 0.5 - 1)
    assert rows["polls"].participants.learners == 0 and rows["polls"].others.learners == 5
    assert rows["polls"].enrol_lift is None or rows["polls"].participants.learners == 0


def test_the_creator_downloads_participation_csv_and_chart(client, creator, storefront, population):
    client.force_login(creator)
    response = client.get(reverse("engagement:participation_csv", args=[storefront.slug]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    challenge = next(r for r in rows if r["mechanic"] == "challenges" and r["group"] == "participants")
    assert (challenge["learners"], challenge["enrolled"], challenge["completed"]) == ("3", "2", "2")
    assert challenge["completion_lift"] == "1.0000"
    chart = client.get(reverse("engagement:participation_chart", args=[storefront.slug]))
    assert chart["Content-Type"] == "image/png" and chart.content[:8] == b"\x89PNG\r\n\x1a\n"
    page = client.get(reverse("engagement:participation", args=[storefront.slug])).content.decode()
    assert "Challenges" in page and "participation.png" in page


def test_another_creator_sees_nothing(client, other_creator, storefront):
    client.force_login(other_creator)
    for name in ("participation", "participation_csv", "participation_chart"):
        assert client.get(reverse(f"engagement:{name}", args=[storefront.slug])).status_code == 404


def test_a_mechanic_nobody_took_part_in_shows_no_lift_rather_than_minus_100_percent(client, creator, storefront,
                                                                                     population):
    polls = {r.key: r for r in selectors.participation_analytics(storefront)}["polls"]
    assert polls.participants.learners == 0 and polls.others.enrol_rate > 0
    assert polls.enrol_lift is None and polls.completion_lift is None
    client.force_login(creator)
    page = client.get(reverse("engagement:participation", args=[storefront.slug])).content.decode()
    assert "-100%" not in page
    rows = list(csv.DictReader(io.StringIO(client.get(
        reverse("engagement:participation_csv", args=[storefront.slug])).content.decode("utf-8-sig"))))
    poll_row = next(r for r in rows if r["mechanic"] == "polls" and r["group"] == "participants")
    assert poll_row["enrolment_lift"] == "" and poll_row["completion_lift"] == ""
