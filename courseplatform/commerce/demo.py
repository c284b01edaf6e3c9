"""Demo commerce data over a seeded catalogue (development only, called by ``seed_demo``): every seeded
enrolment in a paid course gets the paid order behind it (some with a coupon), a share of orders is refunded
(their enrolments end), a few refunds wait for the creator, some checkouts were abandoned (expired), and the
ledger holds the matching sales, fees and refunds, so analytics and statements show real revenue.

Idempotent: nothing is added once orders exist. Deterministic for a seed (order numbers included)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F

from courseplatform.catalog.models import Course, Enrollment, Storefront

from .ledger import platform_fee
from .models import (
    Coupon,
    CouponKind,
    CouponRedemption,
    LedgerEntry,
    LedgerKind,
    Order,
    OrderStatus,
    Refund,
    RefundStatus,
)
from .pricing import quantize

COUPON_SHARE, REFUND_SHARE, WAITING_REFUNDS, ABANDONED_SHARE = 0.15, 0.04, 3, 0.02


@dataclass
class CommerceSummary:
    orders: int
    refunds: int
    coupons: int


def _number(rng: np.random.Generator) -> uuid.UUID:
    return uuid.UUID(int=int(rng.integers(0, 2**62)) << 64 | int(rng.integers(0, 2**62)), version=4)


def _ledger(order: Order, kind: str, amount: Decimal, at) -> LedgerEntry:
    return LedgerEntry(storefront_id=order.storefront_id, order=order, kind=kind, amount=amount,
                       currency=order.currency, created_at=at)


@transaction.atomic
def seed_commerce(*, seed: int = 7) -> CommerceSummary:
    if Order.objects.exists():
        return summary()
    rng = np.random.default_rng(seed + 2100)
    ttl = timedelta(minutes=settings.COMMERCE_ORDER_TTL_MINUTES)
    welcome = {}
    for store in Storefront.objects.order_by("pk"):
        welcome[store.pk] = Coupon.objects.create(storefront=store, code="WELCOME10", kind=CouponKind.PERCENT,
                                                  value=Decimal("10"), max_per_learner=1)
        currency = store.courses.values_list("currency", flat=True).first() or "USD"
        Coupon.objects.create(storefront=store, code="LAUNCH5", kind=CouponKind.FIXED, value=Decimal("5"),
                              currency=currency, max_redemptions=20, max_per_learner=1, paused=True)
    enrolments = list(Enrollment.objects.filter(course__price__gt=0).select_related("course").order_by("pk"))
    orders, redemptions, used = [], [], set()
    for e in enrolments:
        course = e.course
        coupon = welcome.get(course.storefront_id)
        with_coupon = coupon is not None and (e.learner_id, course.storefront_id) not in used \
            and rng.random() < COUPON_SHARE
        discount = quantize(course.price / 10) if with_coupon else Decimal("0.00")
        if with_coupon:
            used.add((e.learner_id, course.storefront_id))
        orders.append(Order(number=_number(rng), learner_id=e.learner_id, course=course,
                            storefront_id=course.storefront_id, status=OrderStatus.PAID, currency=course.currency,
                            list_price=course.price, discount=discount, amount=course.price - discount,
                            coupon=coupon if with_coupon else None, expires_at=e.created_at + ttl,
                            paid_at=e.created_at))
        e.price_paid = course.price - discount
    Order.objects.bulk_create(orders, batch_size=1000)
    Enrollment.objects.bulk_update(enrolments, ["price_paid"], batch_size=1000)
    orders = list(Order.objects.filter(status=OrderStatus.PAID).select_related("storefront").order_by("paid_at", "pk"))
    entries = []
    for order in orders:
        entries.append(_ledger(order, LedgerKind.SALE, order.amount, order.paid_at))
        fee = platform_fee(order.amount)
        if fee:
            entries.append(_ledger(order, LedgerKind.FEE, -fee, order.paid_at))
        if order.coupon_id:
            redemptions.append(CouponRedemption(coupon_id=order.coupon_id, order=order, learner_id=order.learner_id))
    refunded = [o for o in orders[:-WAITING_REFUNDS] if rng.random() < REFUND_SHARE]
    refunds = []
    for order in refunded:
        closed = order.paid_at + timedelta(days=int(rng.integers(1, 10)))
        order.status, order.closed_at = OrderStatus.REFUNDED, closed
        refunds.append(Refund(order=order, status=RefundStatus.APPROVED, reason="Not what I expected",
                              decided_at=closed, decided_by_id=order.storefront.owner_id))
        entries.append(_ledger(order, LedgerKind.REFUND, -order.amount, closed))
        fee = platform_fee(order.amount)
        if fee:
            entries.append(_ledger(order, LedgerKind.FEE_RETURN, fee, closed))
    refunds += [Refund(order=order, reason="Changed my mind") for order in orders[-WAITING_REFUNDS:]]
    Order.objects.bulk_update(refunded, ["status", "closed_at"], batch_size=1000)
    for learner_id, course_id in [(o.learner_id, o.course_id) for o in refunded]:
        Enrollment.objects.filter(learner_id=learner_id, course_id=course_id).delete()
    Refund.objects.bulk_create(refunds, batch_size=1000)
    LedgerEntry.objects.bulk_create(entries, batch_size=1000)
    CouponRedemption.objects.bulk_create(redemptions, batch_size=1000)
    for row in CouponRedemption.objects.values("coupon_id").annotate(n=Count("id")):
        Coupon.objects.filter(pk=row["coupon_id"]).update(redeemed_count=row["n"])
    _abandoned(rng, ttl)
    Order.objects.update(created_at=F("expires_at") - ttl)  # created when the checkout started, not today
    return summary()


def _abandoned(rng: np.random.Generator, ttl: timedelta) -> None:
    """Checkouts nobody paid: expired orders of learners who looked at a paid course they did not buy."""
    paid = list(Course.objects.filter(price__gt=0, published=True).select_related("storefront").order_by("pk"))
    buyers = list(Enrollment.objects.values_list("learner_id", "created_at").order_by("pk"))
    owned = set(Enrollment.objects.values_list("learner_id", "course_id"))
    stale = []
    for learner_id, at in buyers:
        if not paid or rng.random() >= ABANDONED_SHARE:
            continue
        course = paid[int(rng.integers(0, len(paid)))]
        if (learner_id, course.pk) in owned or course.storefront.owner_id == learner_id:
            continue
        stale.append(Order(number=_number(rng), learner_id=learner_id, course=course,
                           storefront_id=course.storefront_id, status=OrderStatus.EXPIRED, currency=course.currency,
                           list_price=course.price, amount=course.price, expires_at=at + ttl, closed_at=at + ttl))
        owned.add((learner_id, course.pk))
    Order.objects.bulk_create(stale, batch_size=1000)


def summary() -> CommerceSummary:
    return CommerceSummary(orders=Order.objects.count(), refunds=Refund.objects.count(),
                           coupons=Coupon.objects.count())
