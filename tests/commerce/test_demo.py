"""The demo's commerce data: paid orders behind seeded enrolments in paid courses, refunds, coupons, abandoned
checkouts, a ledger that adds up, real revenue in analytics; idempotent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from courseplatform.catalog.models import Enrollment
from courseplatform.commerce.demo import seed_commerce
from courseplatform.commerce.models import Coupon, LedgerEntry, Order, Refund
from courseplatform.experiments import analytics
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_seeded_enrolments_get_their_orders_refunds_coupons_and_ledger(storefront):
    paid = CourseFactory(storefront=storefront, price=Decimal("49.00"))
    free = CourseFactory(storefront=storefront, price=Decimal("0"))
    now = timezone.now()
    for i in range(120):
        learner = UserFactory()
        EnrollmentFactory(learner=learner, course=paid, price_paid=paid.price, created_at=now - dt.timedelta(days=i % 30))
        EnrollmentFactory(learner=learner, course=free, price_paid=0, created_at=now)

    summary = seed_commerce(seed=7)

    assert Order.objects.filter(course=free).count() == 0
    paid_or_refunded = Order.objects.filter(course=paid, status__in=["paid", "refunded"])
    assert paid_or_refunded.count() == 120 and summary.orders >= 120
    refunded = Order.objects.filter(status="refunded")
    assert refunded.exists() and Refund.objects.filter(status="requested").count() == 3
    assert not Enrollment.objects.filter(course=paid, learner__in=refunded.values("learner")).exists()
    assert Order.objects.filter(coupon__isnull=False).exists() and Coupon.objects.filter(paused=True).exists()
    for order in Order.objects.filter(status="paid"):
        assert Enrollment.objects.get(learner=order.learner, course=order.course).price_paid == order.amount
    sales = LedgerEntry.objects.filter(kind="sale").aggregate(s=Sum("amount"))["s"]
    assert sales == paid_or_refunded.aggregate(s=Sum("amount"))["s"]
    revenue = sum(row.revenue for _c, _t, row in analytics.by_course(storefront, days=60))
    assert revenue == Order.objects.filter(status="paid").aggregate(s=Sum("amount"))["s"] > 0

    again = seed_commerce(seed=7)
    assert again == summary  # idempotent
