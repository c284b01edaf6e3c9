"""Refunds: a learner asks within the storefront's refund window; the creator approves (or the storefront's
automatic-refund period approves at once); the provider refunds, the enrolment is revoked, the ledger records it."""

import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from payments import PaymentError, PaymentStatus

from courseplatform.catalog.models import Enrollment

from . import ledger
from .models import Order, OrderStatus, Refund, RefundStatus, StorefrontCommerce
from .permissions import ensure_can_sell as ensure_can_manage

logger = logging.getLogger(__name__)


def selling_settings(storefront) -> StorefrontCommerce:
    """The storefront's selling settings (defaults when it never saved any; nothing is written)."""
    return StorefrontCommerce.objects.filter(storefront=storefront).first() or StorefrontCommerce(
        storefront=storefront)


@transaction.atomic
def selling_settings_update(*, storefront, actor, refund_window_days: int, auto_refund_days: int) -> StorefrontCommerce:
    ensure_can_manage(actor, storefront)
    row, _created = StorefrontCommerce.objects.select_for_update().get_or_create(storefront=storefront)
    row.refund_window_days, row.auto_refund_days = refund_window_days, auto_refund_days
    row.full_clean()
    row.save()
    return row


def refund_deadline(order: Order):
    """Until when the learner may ask for a refund of a paid order (``None``: never)."""
    days = selling_settings(order.storefront).refund_window_days
    return order.paid_at + timedelta(days=days) if days and order.paid_at else None


def refund_request(*, order: Order, learner, reason: str = "") -> Refund:
    """The learner asks for their money back; approved at once within the storefront's automatic period."""
    with transaction.atomic():
        order = Order.objects.select_for_update(of=("self",)).select_related("storefront").get(pk=order.pk)
        if order.learner_id != learner.pk:
            raise ValidationError(_("This is not your order."))
        existing = Refund.objects.filter(order=order).first()
        if existing is not None:
            if existing.status == RefundStatus.REQUESTED:
                return existing
            raise ValidationError(_("A refund for this order has already been decided."))
        if order.status != OrderStatus.PAID:
            raise ValidationError(_("Only paid orders can be refunded."))
        now = timezone.now()
        deadline = refund_deadline(order)
        if deadline is None or now > deadline:
            raise ValidationError(_("The refund window for this order has closed."))
        refund = Refund.objects.create(order=order, reason=reason[:2000])
        auto_days = selling_settings(order.storefront).auto_refund_days
        if auto_days and now <= order.paid_at + timedelta(days=auto_days):
            _approve(refund, order, actor=None)
    return refund


def refund_decide(*, refund: Refund, actor, approve: bool) -> Refund:
    """The creator (or staff) approves or declines a requested refund."""
    ensure_can_manage(actor, refund.order.storefront)
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund.pk)
        if refund.status != RefundStatus.REQUESTED:
            raise ValidationError(_("This refund has already been decided."))
        order = Order.objects.select_for_update().get(pk=refund.order_id)
        if approve:
            _approve(refund, order, actor=actor)
        else:
            refund.status, refund.decided_at, refund.decided_by = RefundStatus.REJECTED, timezone.now(), actor
            refund.save(update_fields=["status", "decided_at", "decided_by"])
    return refund


def _approve(refund: Refund, order: Order, *, actor) -> None:
    if order.status != OrderStatus.PAID:
        raise ValidationError(_("Only paid orders can be refunded."))
    payment = order.payments.filter(status=PaymentStatus.CONFIRMED).order_by("-pk").first()
    if payment is not None:  # a free (100 % coupon) order has no payment to give back
        try:
            payment.refund()  # the provider's refund (django-payments)
        except (PaymentError, ValueError) as error:
            logger.warning("refund of order %s failed at the provider: %s", order.number, error)
            raise ValidationError(_("The payment provider could not refund this order: %(error)s")
                                  % {"error": error}) from error
    now = timezone.now()
    order.status, order.closed_at = OrderStatus.REFUNDED, now
    order.save(update_fields=["status", "closed_at"])
    ledger.record_refund(order)
    Enrollment.objects.filter(learner_id=order.learner_id, course_id=order.course_id).delete()
    refund.status, refund.decided_at, refund.decided_by = RefundStatus.APPROVED, now, actor
    refund.automatic = actor is None
    refund.save(update_fields=["status", "decided_at", "decided_by", "automatic"])
