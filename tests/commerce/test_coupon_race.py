"""A one-use coupon redeemed by 20 concurrent checkouts is used exactly once (real threads, real row locks).

PostgreSQL only: SQLite has no row locks and serialises writers on one database lock, so "concurrent" checkouts
there would test SQLite's busy timeout, not the coupon's limit. The coordinator's PostgreSQL run executes it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from courseplatform.commerce import services
from courseplatform.commerce.models import Coupon, CouponRedemption, Order
from tests.factories import CourseFactory, CreatorFactory, StorefrontFactory, UserFactory
from tests.races import race

WORKERS = 20


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between concurrent transactions); SQLite serialises all writers")


def test_a_one_use_coupon_is_used_exactly_once_by_20_concurrent_checkouts(on_postgresql):
    storefront = StorefrontFactory(owner=CreatorFactory())
    course = CourseFactory(storefront=storefront, price=Decimal("30.00"))
    coupon = Coupon.objects.create(storefront=storefront, code="ONCE", kind="percent", value=Decimal("50"),
                                   max_redemptions=1)
    learners = [UserFactory() for _ in range(WORKERS)]

    results = race(lambda learner: services.checkout_start(learner=learner, course=course, coupon_code="once"),
                    [(learner,) for learner in learners])

    won = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(refused) == WORKERS - 1, results
    assert all("used up" in " ".join(e.messages) for e in refused)
    coupon.refresh_from_db()
    assert coupon.redeemed_count == 1 and CouponRedemption.objects.filter(coupon=coupon).count() == 1
    assert Order.objects.filter(coupon=coupon).count() == 1


def test_20_concurrent_checkouts_of_one_learner_make_one_pending_order(on_postgresql):
    storefront = StorefrontFactory(owner=CreatorFactory())
    course = CourseFactory(storefront=storefront, price=Decimal("30.00"))
    learner = UserFactory()

    results = race(lambda: services.checkout_start(learner=learner, course=course), [() for _ in range(WORKERS)])

    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.filter(learner=learner, course=course).count() == 1
