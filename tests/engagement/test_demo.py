"""The demo seeds polls, challenges, rewards and lesson points, once (a second run adds nothing)."""

import pytest
from django.core.management import call_command

from courseplatform.engagement.models import ChallengeParticipant, PointsEntry, Poll, PollVote, RewardOffer

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Poll, PollVote, ChallengeParticipant, RewardOffer, PointsEntry))


def test_seed_demo_adds_engagement_once():
    call_command("seed_demo", "--courses", "12", "--learners", "40", "--seed", "3", "--no-themes", verbosity=0)
    first = _counts()
    assert first[0] == 3 and first[3] == 3 and first[1] > 0 and first[2] > 0 and first[4] > 0
    call_command("seed_demo", "--courses", "12", "--learners", "40", "--seed", "3", "--no-themes", verbosity=0)
    assert _counts() == first
