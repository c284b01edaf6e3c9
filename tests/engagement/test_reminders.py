"""Challenge reminders go through the notifications app, once per participant, only to open participations of
challenges ending soon."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courseplatform.engagement import reminders, services
from courseplatform.engagement.models import GoalKind
from courseplatform.notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_participants_of_a_challenge_ending_soon_are_reminded_once(storefront, creator):
    soon = services.challenge_create(storefront=storefront, actor=creator, title="Ends soon", goal=GoalKind.LESSONS,
                                     target=2, ends_at=timezone.now() + timedelta(hours=20))
    later = services.challenge_create(storefront=storefront, actor=creator, title="Later", goal=GoalKind.LESSONS,
                                      target=2, ends_at=timezone.now() + timedelta(days=9))
    waiting, done, other = UserFactory(), UserFactory(), UserFactory()
    services.challenge_join(challenge=soon, learner=waiting)
    finished, _ = services.challenge_join(challenge=soon, learner=done)
    type(finished).objects.filter(pk=finished.pk).update(completed_at=timezone.now())
    services.challenge_join(challenge=later, learner=other)

    reminders.challenge_reminders_send()
    reminders.challenge_reminders_send()  # a second run (or a redelivered task) sends nothing new

    sent = Notification.objects.filter(kind="challenge_reminder")
    assert list(sent.values_list("user_id", flat=True)) == [waiting.pk]
    assert "Ends soon" in str(sent.get().params)
