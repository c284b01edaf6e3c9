"""A challenge's places: a participant whose account is deleted frees their place (the count follows the
participation rows), so a full challenge does not stay full of people who are gone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courseplatform.engagement import services
from courseplatform.engagement.models import Challenge, GoalKind
from courseplatform.privacy import services as privacy
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_deleted_participant_frees_their_place(storefront, creator):
    challenge = services.challenge_create(storefront=storefront, actor=creator, title="Sprint", goal=GoalKind.LESSONS,
                                          target=1, ends_at=timezone.now() + timedelta(days=3), max_participants=1)
    first = UserFactory()
    services.challenge_join(challenge=challenge, learner=first)

    privacy.account_erase(user=first)

    assert Challenge.objects.get(pk=challenge.pk).participant_count == 0
    _row, created = services.challenge_join(challenge=challenge, learner=UserFactory())
    assert created and Challenge.objects.get(pk=challenge.pk).participant_count == 1
