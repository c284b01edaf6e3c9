"""Checkout and payment writes: orders (pending → paid → refunded / failed / expired), coupon uses, the paid
order's ledger entries, ``order_paid`` on commit (the enrolment receiver listens) and the receipt."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from payments import PaymentStatus

from courseplatform.catalog.models import Course, Enrollment
from courseplatform.hooks.signals import order_paid, send_on_commit

from . import ledger, receipts
from .models import Coupon, CouponRedemption, Order, OrderStatus, Payment
from .pricing import coupon_check, coupon_lookup, discount_for, normalise_code

logger = logging.getLogger(__name__)


def _ensure_can_buy(learner, course: Course) -> None:
    if not course.published:
        raise ValidationError(_("This course is not open for enrolment."))
    if course.storefront.owner_id == learner.pk:
        raise ValidationError(_("You cannot buy your own course."))
    if course.price <= 0:
        raise ValidationError(_("This course is free: enrol on its page."))
    if Enrollment.objects.filter(learner=learner, course=course).exists():
        raise ValidationError(_("You are already enrolled in this course."))


def _release_coupon(order: Order) -> None:
    """Give an unpaid order's coupon use back."""
    redemption = CouponRedemption.objects.filter(order=order).first()
    if redemption is not None:
        redemption.delete()
        Coupon.objects.filter(pk=redemption.coupon_id, redeemed_count__gt=0).update(
            redeemed_count=F("redeemed_count") - 1)


def _reserve_coupon(coupon: Coupon, order: Order, learner) -> None:
    # conditional UPDATE: the limit holds even without the row lock (the CHECK constraint is a last line too)
    taken = Coupon.objects.filter(pk=coupon.pk).filter(
        Q(max_redemptions__isnull=True) | Q(redeemed_count__lt=F("max_redemptions"))
    ).update(redeemed_count=F("redeemed_count") + 1)
    if not taken:
        raise ValidationError(_("This coupon has been used up."), code="exhausted")
    CouponRedemption.objects.create(coupon=coupon, order=order, learner=learner)


def _close(order: Order, status: str) -> None:
    order.status = status
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at"])
    _release_coupon(order)


def orders_expire(*, learner=None, course=None, now=None) -> int:
    """Expire pending orders past their time (those of one learner and course, or all); returns how many."""
    now = now or timezone.now()
    stale = Order.objects.filter(status=OrderStatus.PENDING, expires_at__lte=now)
    if learner is not None:
        stale = stale.filter(learner=learner, course=course)
    count = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=pk)
            if order.status == OrderStatus.PENDING:
                _close(order, OrderStatus.EXPIRED)
                count += 1
    return count


def checkout_start(*, learner, course: Course, coupon_code: str = "") -> Order:
    """The learner's pending order for ``course``, priced now on the server with ``coupon_code``. Repeating the
    request (a double click, a retry) returns the same order; a different coupon re-prices it."""
    _ensure_can_buy(learner, course)
    orders_expire(learner=learner, course=course)
    code = normalise_code(coupon_code)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _checkout(learner, course, code)
        except IntegrityError:  # a concurrent request created the pending order first: use that one
            continue
    raise ValidationError(_("Please try again."))


def _checkout(learner, course: Course, code: str) -> Order:
    existing = Order.objects.select_for_update(of=("self",)).filter(
        learner=learner, course=course, status=OrderStatus.PENDING).select_related("coupon").first()
    if existing is not None and (existing.coupon.code if existing.coupon else "") == code \
            and existing.list_price == course.price and existing.currency == course.currency:
        return existing
    coupon = None
    if code:
        coupon = Coupon.objects.select_for_update().get(pk=coupon_lookup(course, code).pk)  # serialises its uses
        if existing is not None:
            _release_coupon(existing)
        coupon_check(coupon, course, learner)
    discount = discount_for(coupon, course) if coupon else Decimal("0.00")
    prices = {"currency": course.currency, "list_price": course.price, "discount": discount,
              "amount": course.price - discount, "coupon": coupon}
    if existing is not None and not existing.payments.exists():
        if not code:
            _release_coupon(existing)
        for field, value in prices.items():
            setattr(existing, field, value)
        existing.save(update_fields=list(prices))
        order = existing
    else:
        if existing is not None:  # a payment was started at the old price: that order ends here
            _close(existing, OrderStatus.EXPIRED)
        order = Order.objects.create(
            learner=learner, course=course, storefront_id=course.storefront_id,
            expires_at=timezone.now() + timedelta(minutes=settings.COMMERCE_ORDER_TTL_MINUTES), **prices)
    if coupon is not None:
        _reserve_coupon(coupon, order, learner)
    return order


def payment_for(order: Order, variant: str | None = None) -> Payment:
    """The order's open payment with the configured provider, or a new one for the order's amount."""
    if order.status != OrderStatus.PENDING:
        raise ValidationError(_("This order is not waiting for payment."))
    variant = variant or settings.COMMERCE_PAYMENT_VARIANT
    payment = order.payments.filter(variant=variant, status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT],
                                    total=order.amount, currency=order.currency).order_by("-pk").first()
    if payment is None:
        payment = Payment.objects.create(
            order=order, variant=variant, currency=order.currency, total=order.amount,
            description=order.course.title[:200], billing_email=order.learner.email)
    return payment


def _fulfil(order: Order) -> None:
    order.status = OrderStatus.PAID
    order.paid_at = timezone.now()
    order.save(update_fields=["status", "paid_at"])
    ledger.record_sale(order)
    send_on_commit(order_paid, sender=Order, order=order)
    transaction.on_commit(lambda: receipts.send_receipt(order.pk))


def _flag(order: Order, reason: str) -> None:
    logger.warning("order %s flagged: %s", order.number, reason)
    order.flagged = True
    order.flag_reason = (f"{order.flag_reason}\n{reason}" if order.flag_reason else reason)[:4000]
    order.save(update_fields=["flagged", "flag_reason"])


@transaction.atomic
def payment_succeeded(*, payment: Payment, amount: Decimal, currency: str) -> bool:
    """A provider says ``payment`` took ``amount`` in ``currency``. Fulfils the order when that matches it;
    otherwise the order is flagged and nothing is fulfilled. Returns whether the order is paid by this payment."""
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    if order.status == OrderStatus.PAID:
        if order.payments.filter(status=PaymentStatus.CONFIRMED).exclude(pk=payment.pk).exists():
            _flag(order, f"second payment {payment.pk} for a paid order: refund it")
            return False
        return True  # the same payment reported again
    if Decimal(amount) != order.amount or (currency or "").upper() != order.currency:
        _flag(order, f"payment {payment.pk} of {amount} {currency} does not match {order.amount} {order.currency}")
        return False
    if order.status != OrderStatus.PENDING:
        _flag(order, f"payment {payment.pk} arrived for a {order.status} order: refund it")
        return False
    _fulfil(order)
    return True


@transaction.atomic
def payment_failed(*, payment: Payment, status: str = OrderStatus.FAILED) -> None:
    """The provider refused or dropped ``payment``: its pending order ends (``failed`` or ``expired``)."""
    order = Order.objects.select_for_update().get(pk=payment.order_id)
    if order.status == OrderStatus.PENDING:
        _close(order, status)


@transaction.atomic
def order_settle_free(order: Order) -> None:
    """An order a coupon made free is paid at once, without a provider."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status == OrderStatus.PENDING and order.amount == 0:
        _fulfil(order)
