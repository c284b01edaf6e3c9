"""Processing verified provider events: each event id once; an event whose processing failed is processed again
when the provider retries it (its row stays ``failed``, never deduplicated away)."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from payments import PaymentStatus

from . import services
from .models import OrderStatus, Payment, WebhookEvent, WebhookStatus
from .providers import EXPIRED, FAILED, PAID, ProviderEvent

logger = logging.getLogger(__name__)
DUPLICATE = "duplicate"
DONE = (WebhookStatus.PROCESSED, WebhookStatus.REJECTED)


def _apply(payment: Payment | None, event: ProviderEvent) -> str:
    if payment is None:
        return WebhookStatus.PROCESSED  # an event type we do not act on
    if event.outcome == PAID:
        if not services.payment_succeeded(payment=payment, amount=event.amount, currency=event.currency):
            return WebhookStatus.REJECTED  # flagged on the order, not fulfilled
        for key, value in event.attrs.items():  # Stripe's refund needs the session's payment_intent
            setattr(payment.attrs, key, value)
        Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.CONFIRMED, captured_amount=event.amount,
                                                     extra_data=payment.extra_data)
    elif event.outcome in (FAILED, EXPIRED):
        services.payment_failed(payment=payment, status=OrderStatus.FAILED if event.outcome == FAILED
                                else OrderStatus.EXPIRED)
        Payment.objects.filter(pk=payment.pk, status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]).update(
            status=PaymentStatus.REJECTED)
    return WebhookStatus.PROCESSED


def webhook_process(variant: str, event: ProviderEvent, payment: Payment | None) -> str:
    """Process ``event`` unless it already was; returns the row's status or ``duplicate``. Raises when processing
    failed (the row records the error and is processed on the next delivery)."""
    with transaction.atomic():
        row, _created = WebhookEvent.objects.get_or_create(
            provider=variant, event_id=event.event_id[:255],
            defaults={"kind": event.event_type[:100], "status": WebhookStatus.FAILED, "payload": event.payload,
                      "order_id": payment.order_id if payment else None})
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.select_for_update().get(pk=row.pk)  # concurrent deliveries wait here
            if row.status in DONE:
                return DUPLICATE
            row.status = _apply(payment, event)
            row.attempts += 1
            row.error = ""
            row.processed_at = timezone.now()
            row.save(update_fields=["status", "attempts", "error", "processed_at"])
            return row.status
    except Exception as error:
        WebhookEvent.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, error=repr(error)[:2000])
        logger.exception("webhook %s:%s failed; it will be processed again on retry", variant, event.event_id)
        raise
