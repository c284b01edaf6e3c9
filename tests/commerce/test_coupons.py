"""Coupons: percentage and fixed, per storefront or course, dates, total and per-learner limits, case-insensitive
codes, share links, and the creator's studio (create, pause, measure)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courseplatform.commerce import coupons, services
from courseplatform.commerce.models import Coupon, Order
from tests.factories import CourseFactory, StorefrontFactory, UserFactory

from .conftest import buy, checkout, make_coupon

pytestmark = pytest.mark.django_db


def test_codes_are_case_insensitive_and_percentages_round_to_the_cent(learner, paid_course):
    make_coupon(paid_course.storefront, code="SPRING15", value=Decimal("15"))
    order = services.checkout_start(learner=learner, course=paid_course, coupon_code="  spring15 ")
    assert (order.discount, order.amount) == (Decimal("7.35"), Decimal("41.65"))


def test_a_fixed_coupon_applies_in_its_currency_only_and_never_below_zero(learner, paid_course, yuan_course):
    make_coupon(paid_course.storefront, code="TENOFF", kind="fixed", value=Decimal("10"), currency="USD",
                max_per_learner=5)
    assert services.checkout_start(learner=learner, course=paid_course, coupon_code="tenoff").amount == \
        Decimal("39.00")
    with pytest.raises(ValidationError):
        services.checkout_start(learner=learner, course=yuan_course, coupon_code="tenoff")
    make_coupon(paid_course.storefront, code="ALL", kind="fixed", value=Decimal("500"), currency="USD")
    assert services.checkout_start(learner=learner, course=paid_course, coupon_code="all").amount == 0


def test_a_course_coupon_is_refused_on_another_course(learner, paid_course, yuan_course):
    make_coupon(paid_course.storefront, code="ONLYPAID", course=paid_course)
    with pytest.raises(ValidationError, match="not valid for this course"):
        services.checkout_start(learner=learner, course=yuan_course, coupon_code="onlypaid")


def test_another_storefronts_coupon_is_unknown(learner, paid_course):
    make_coupon(StorefrontFactory(), code="ELSEWHERE")
    with pytest.raises(ValidationError, match="not valid"):
        services.checkout_start(learner=learner, course=paid_course, coupon_code="elsewhere")


@pytest.mark.parametrize("window,message", [
    ({"starts_at": timezone.now() + timedelta(days=1)}, "not valid yet"),
    ({"ends_at": timezone.now() - timedelta(minutes=1)}, "expired"),
    ({"paused": True}, "paused"),
])
def test_expired_future_and_paused_coupons_are_refused(learner, paid_course, window, message):
    make_coupon(paid_course.storefront, code="DATED", **window)
    with pytest.raises(ValidationError, match=message):
        services.checkout_start(learner=learner, course=paid_course, coupon_code="dated")
    assert not Order.objects.exists()


def test_an_exhausted_coupon_is_refused_and_uses_are_counted_once_per_order(paid_course):
    coupon = make_coupon(paid_course.storefront, code="TWICE", max_redemptions=2)
    first, second, third = UserFactory(), UserFactory(), UserFactory()
    services.checkout_start(learner=first, course=paid_course, coupon_code="twice")
    services.checkout_start(learner=first, course=paid_course, coupon_code="twice")  # the same order again
    services.checkout_start(learner=second, course=paid_course, coupon_code="twice")
    with pytest.raises(ValidationError, match="used up"):
        services.checkout_start(learner=third, course=paid_course, coupon_code="twice")
    coupon.refresh_from_db()
    assert coupon.redeemed_count == 2 and coupon.redemptions.count() == 2


def test_the_per_learner_limit_holds_across_courses(learner, storefront):
    make_coupon(storefront, code="ONCEEACH", max_per_learner=1)
    a, b = (CourseFactory(storefront=storefront, price=Decimal("20")) for _ in range(2))
    services.checkout_start(learner=learner, course=a, coupon_code="onceeach")
    with pytest.raises(ValidationError, match="already used"):
        services.checkout_start(learner=learner, course=b, coupon_code="onceeach")


def test_changing_the_coupon_on_a_pending_order_reprices_it_and_gives_the_old_use_back(learner, paid_course):
    old = make_coupon(paid_course.storefront, code="OLD", max_redemptions=1)
    make_coupon(paid_course.storefront, code="NEW", value=Decimal("50"))
    order = services.checkout_start(learner=learner, course=paid_course, coupon_code="old")
    again = services.checkout_start(learner=learner, course=paid_course, coupon_code="new")
    old.refresh_from_db()
    assert again.pk == order.pk and again.amount == Decimal("24.50") and old.redeemed_count == 0
    plain = services.checkout_start(learner=learner, course=paid_course)
    assert plain.pk == order.pk and plain.amount == Decimal("49.00") and plain.coupon is None


def test_a_share_link_prefills_the_checkout_with_the_discounted_price(client, learner, paid_course):
    make_coupon(paid_course.storefront, code="FRIENDS", value=Decimal("20"))
    client.force_login(learner)
    page = client.get(reverse("commerce:checkout", args=[paid_course.pk]) + "?coupon=friends").content.decode()
    assert 'value="friends"' in page and "$39.20" in page


def test_coming_back_to_the_checkout_with_the_coupon_the_pending_order_holds_still_shows_it(
        client, learner, paid_course):
    make_coupon(paid_course.storefront, code="ONE", value=Decimal("20"), max_redemptions=1)
    client.force_login(learner)
    checkout(client, paid_course, coupon="one")
    page = client.get(reverse("commerce:checkout", args=[paid_course.pk]) + "?coupon=one").content.decode()
    assert "$39.20" in page and "already used" not in page and "used up" not in page


def test_a_full_discount_order_is_paid_without_a_provider(client, learner, paid_course,
                                                          django_capture_on_commit_callbacks):
    make_coupon(paid_course.storefront, code="GIFT", value=Decimal("100"))
    client.force_login(learner)
    order = buy(client, paid_course, django_capture_on_commit_callbacks, coupon="gift")
    assert order.status == "paid" and order.amount == 0 and not order.payments.exists()
    assert paid_course.enrollments.filter(learner=learner).exists()


def test_the_checkout_shows_a_refused_coupon_beside_its_field(client, learner, paid_course):
    client.force_login(learner)
    response = checkout(client, paid_course, coupon="nope")
    assert response.status_code == 400 and "not valid for this course" in response.content.decode()


def test_creators_create_pause_and_measure_coupons_in_the_studio(client, creator, storefront, paid_course,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(creator)
    url = reverse("commerce:coupons", args=[storefront.slug])
    created = client.post(url, {"code": "launch-week", "kind": "percent", "value": "25", "max_redemptions": "3",
                                "max_per_learner": "1"})
    assert created.status_code == 302
    coupon = Coupon.objects.get(storefront=storefront)
    assert coupon.code == "LAUNCH-WEEK" and coupon.max_redemptions == 3
    assert client.post(url, {"code": "Launch-Week", "kind": "percent", "value": "10",
                             "max_per_learner": "1"}).status_code == 400  # the same code, another case
    assert client.post(url, {"code": "BIG", "kind": "percent", "value": "150",
                             "max_per_learner": "1"}).status_code == 400
    buyer = UserFactory()
    client.force_login(buyer)
    buy(client, paid_course, django_capture_on_commit_callbacks, coupon="launch-week")
    client.force_login(creator)
    page = client.get(url).content.decode()
    assert "LAUNCH-WEEK" in page and "1 / 3" in page and "36.75" in page
    assert f"http://testserver/s/{storefront.slug}/?coupon=LAUNCH-WEEK" in page
    client.post(reverse("commerce:coupon_pause", args=[storefront.slug, coupon.pk]))
    coupon.refresh_from_db()
    assert coupon.paused


def test_a_creator_cannot_attach_a_coupon_to_another_storefronts_course(creator, storefront):
    foreign = CourseFactory()
    with pytest.raises(ValidationError):
        coupons.coupon_create(storefront=storefront, actor=creator, data={
            "code": "X1", "kind": "percent", "value": Decimal("5"), "course": foreign, "max_per_learner": 1})
