"""Erasing a learner who took part (votes, challenge, points, a redeemed coupon) succeeds, and their personal coupon
moves to the nameless placeholder: nobody else can use its code."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from courseplatform.commerce import services as commerce
from courseplatform.commerce.models import Coupon
from courseplatform.engagement import points, services
from courseplatform.engagement.models import PointsEntry, PointsReason, PollVote, Redemption
from courseplatform.privacy.services import account_erase
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_learner_who_redeemed_a_reward_can_be_erased(storefront, creator, learner):
    course = CourseFactory(storefront=storefront, price=Decimal("30.00"))
    poll = services.poll_create(storefront=storefront, actor=creator, question="Q?", options=["A", "B"])
    services.poll_vote(poll=poll, option_id=poll.options.first().pk, learner=learner)
    for i in range(3):
        points.points_award(learner_id=learner.pk, reason=PointsReason.LESSON, source=f"lesson:{i}")
    offer = services.offer_create(storefront=storefront, actor=creator, title="R", points_cost=20, percent_off=50)
    code = services.reward_redeem(offer=offer, learner=learner).coupon.code

    erasure = account_erase(user=learner)

    coupon = Coupon.objects.get(code=code)
    assert coupon.learner == erasure.placeholder and not coupon.learner.is_active
    assert Redemption.objects.get().learner == erasure.placeholder
    assert not PollVote.objects.exists() and not PointsEntry.objects.filter(learner_id=learner.pk).exists()
    with pytest.raises(ValidationError):
        commerce.checkout_start(learner=UserFactory(), course=course, coupon_code=code)
