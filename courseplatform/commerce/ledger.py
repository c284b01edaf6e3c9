"""Writes to the creators' append-only earnings ledger (gross, platform fee, refunds; net is their sum)."""

from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from .models import LedgerEntry, LedgerKind, Order
from .pricing import quantize


def platform_fee(amount: Decimal) -> Decimal:
    """The platform's fee on a sale (``COMMERCE_PLATFORM_FEE_PERCENT``, rounded half up to the cent)."""
    return quantize(amount * Decimal(str(settings.COMMERCE_PLATFORM_FEE_PERCENT)) / 100)


def _entry(order: Order, kind: str, amount: Decimal) -> LedgerEntry:
    return LedgerEntry.objects.create(storefront_id=order.storefront_id, order=order, kind=kind, amount=amount,
                                      currency=order.currency, created_at=timezone.now())


def record_sale(order: Order) -> None:
    """A paid order: the gross amount and the platform's fee (snapshotted: a later fee change alters nothing)."""
    _entry(order, LedgerKind.SALE, order.amount)
    fee = platform_fee(order.amount)
    if fee:
        _entry(order, LedgerKind.FEE, -fee)


def record_refund(order: Order) -> None:
    """A refunded order: the gross amount back to the learner, the fee charged on the sale back to the creator."""
    _entry(order, LedgerKind.REFUND, -order.amount)
    fee = LedgerEntry.objects.filter(order=order, kind=LedgerKind.FEE).values_list("amount", flat=True).first()
    if fee:
        _entry(order, LedgerKind.FEE_RETURN, -fee)
