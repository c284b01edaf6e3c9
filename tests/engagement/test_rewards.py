"""Redeeming points for a learner-specific, single-use coupon issued through commerce; paying less with it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from courseplatform.commerce import services as commerce
from courseplatform.engagement import points, services
from courseplatform.engagement.models import PointsAccount, PointsEntry, PointsReason, Redemption
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_course(storefront):
    return CourseFactory(storefront=storefront, price=Decimal("40.00"))


@pytest.fixture
def offer(storefront, creator):
    return services.offer_create(storefront=storefront, actor=creator, title="20% off", points_cost=30,
                                 percent_off=20)


def _earn(user, amount: int) -> None:
    for i in range(amount // 10):
        points.points_award(learner_id=user.pk, reason=PointsReason.LESSON, source=f"lesson:{i}")


def test_redeeming_debits_the_points_and_the_coupon_lowers_the_price_for_that_learner_only(
        learner, offer, paid_course):
    _earn(learner, 40)
    redemption = services.reward_redeem(offer=offer, learner=learner)
    assert PointsAccount.objects.get(learner=learner).balance == 10
    assert redemption.entry.amount == -30 and redemption.entry.reason == "redeemed"
    coupon = redemption.coupon
    assert (coupon.learner, coupon.max_redemptions, coupon.value) == (learner, 1, Decimal("20"))
    with pytest.raises(ValidationError):
        commerce.checkout_start(learner=UserFactory(), course=paid_course, coupon_code=coupon.code)
    order = commerce.checkout_start(learner=learner, course=paid_course, coupon_code=coupon.code)
    assert order.amount == Decimal("32.00") and order.discount == Decimal("8.00")


def test_redeeming_without_enough_points_is_refused_and_issues_nothing(learner, offer):
    _earn(learner, 20)
    with pytest.raises(ValidationError, match="enough points"):
        services.reward_redeem(offer=offer, learner=learner)
    assert not Redemption.objects.exists()
    assert PointsAccount.objects.get(learner=learner).balance == 20
    assert not PointsEntry.objects.filter(reason="redeemed").exists()


def test_a_withdrawn_reward_cannot_be_redeemed(learner, offer, creator):
    _earn(learner, 40)
    services.offer_set_active(offer=offer, actor=creator, active=False)
    with pytest.raises(ValidationError):
        services.reward_redeem(offer=offer, learner=learner)


def test_the_learner_redeems_from_their_points_page(client, learner, offer, paid_course):
    _earn(learner, 30)
    client.force_login(learner)
    page = client.get(reverse("engagement:my_points")).content.decode()
    assert "20% off" in page and 'id="points-balance">30<' in page
    response = client.post(reverse("engagement:reward_redeem", args=[offer.pk]), follow=True)
    code = Redemption.objects.get().coupon.code
    assert code in response.content.decode()
    again = client.post(reverse("engagement:reward_redeem", args=[offer.pk]), follow=True)
    assert "enough points" in again.content.decode() and Redemption.objects.count() == 1
