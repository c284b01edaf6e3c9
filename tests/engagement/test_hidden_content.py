"""Polls, challenges and rewards of a storefront moderators hid, or of a course that is unpublished or hidden,
are not shown to the public nor take votes, joins or redemptions (their owner still sees them)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courseplatform.engagement import points, services
from courseplatform.engagement.models import (
    ChallengeParticipant,
    GoalKind,
    PointsReason,
    PollVote,
    Redemption,
)
from courseplatform.moderation.models import Case, ContentKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def poll(storefront, creator, free_course):
    return services.poll_create(storefront=storefront, actor=creator, question="Next topic?",
                                options=["Python", "Rust"], course=free_course)


@pytest.fixture
def challenge(storefront, creator, free_course):
    return services.challenge_create(storefront=storefront, actor=creator, title="Three in a week",
                                     goal=GoalKind.LESSONS, target=3, course=free_course,
                                     ends_at=timezone.now() + timedelta(days=7), points_reward=50)


@pytest.fixture
def offer(storefront, creator):
    return services.offer_create(storefront=storefront, actor=creator, title="10% off", points_cost=10,
                                 percent_off=10)


def _hide_storefront(storefront):
    Case.objects.create(kind=ContentKind.STOREFRONT, storefront=storefront, owner=storefront.owner, hidden=True,
                        open=False)


def test_a_hidden_storefronts_poll_and_challenge_are_not_shown(client, learner, storefront, poll, challenge):
    _hide_storefront(storefront)
    client.force_login(learner)
    assert client.get(reverse("engagement:poll", args=[poll.pk])).status_code == 404
    assert client.get(reverse("engagement:challenge", args=[challenge.pk])).status_code == 404


def test_a_hidden_storefronts_poll_and_challenge_take_no_votes_or_joins(client, learner, storefront, poll,
                                                                        challenge, offer):
    _hide_storefront(storefront)
    points.points_award(learner_id=learner.pk, reason=PointsReason.CHALLENGE, source="test", amount=100)
    client.force_login(learner)
    client.post(reverse("engagement:poll_vote", args=[poll.pk]), {"option": poll.options.first().pk})
    client.post(reverse("engagement:challenge_join", args=[challenge.pk]))
    client.post(reverse("engagement:reward_redeem", args=[offer.pk]))
    assert not PollVote.objects.exists() and not ChallengeParticipant.objects.exists()
    assert not Redemption.objects.exists()
    assert offer.title not in client.get(reverse("engagement:my_points")).content.decode()


def test_an_unpublished_courses_poll_and_challenge_are_not_shown(client, learner, free_course, poll, challenge):
    free_course.published = False
    free_course.save(update_fields=["published"])
    client.force_login(learner)
    assert client.get(reverse("engagement:poll", args=[poll.pk])).status_code == 404
    assert client.get(reverse("engagement:challenge", args=[challenge.pk])).status_code == 404


def test_the_owner_still_sees_their_hidden_storefronts_poll(client, creator, storefront, poll, challenge):
    _hide_storefront(storefront)
    client.force_login(creator)
    assert client.get(reverse("engagement:poll", args=[poll.pk])).status_code == 200
    assert client.get(reverse("engagement:challenge", args=[challenge.pk])).status_code == 200
