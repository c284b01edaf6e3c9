"""Reads for commerce pages: a learner's orders, a storefront's sales, coupons with their measures and the
monthly earnings statement. Objects are fetched through their owner (another person's → ``DoesNotExist``)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import Coupon, LedgerEntry, LedgerKind, Order, OrderStatus, Refund, RefundStatus
from .permissions import can_sell as can_manage


def orders_of(learner) -> QuerySet[Order]:
    return Order.objects.filter(learner=learner).select_related("course", "storefront", "coupon")


def order_of(learner, number) -> Order:
    """The learner's own order (another learner's order does not exist for them)."""
    return orders_of(learner).get(number=number)


def pending_order(learner, course) -> Order | None:
    if not learner.is_authenticated:
        return None
    return Order.objects.filter(learner=learner, course=course, status=OrderStatus.PENDING,
                                expires_at__gt=timezone.now()).select_related("coupon").first()


def storefront_orders(storefront) -> QuerySet[Order]:
    return Order.objects.filter(storefront=storefront).select_related("course", "learner", "coupon")


def refunds_waiting(storefront) -> QuerySet[Refund]:
    return Refund.objects.filter(order__storefront=storefront, status=RefundStatus.REQUESTED).select_related(
        "order", "order__course", "order__learner")


def refund_for_manager(actor, pk) -> Refund:
    refund = Refund.objects.select_related("order", "order__storefront").get(pk=pk)
    if not can_manage(actor, refund.order.storefront):
        raise Refund.DoesNotExist
    return refund


def coupons_with_measures(storefront) -> QuerySet[Coupon]:
    """The storefront's coupons with paid orders, revenue and discount given through each."""
    paid = Q(orders__status=OrderStatus.PAID)
    return (Coupon.objects.filter(storefront=storefront).select_related("course")
            .annotate(paid_orders=Count("orders", filter=paid), revenue=Sum("orders__amount", filter=paid),
                      discount_given=Sum("orders__discount", filter=paid)))


@dataclass
class StatementLine:
    currency: str
    gross: Decimal = Decimal("0.00")
    fees: Decimal = Decimal("0.00")  # net of fees returned on refunds (negative)
    refunds: Decimal = Decimal("0.00")  # negative
    entries: list = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.gross + self.fees + self.refunds


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, month, 1))
    end = timezone.make_aware(dt.datetime(year + (month == 12), month % 12 + 1, 1))
    return start, end


def statement(storefront, year: int, month: int) -> list[StatementLine]:
    """The storefront's ledger for one month, one line per currency (gross, fees, refunds, net)."""
    start, end = month_bounds(year, month)
    lines: dict[str, StatementLine] = {}
    entries = (LedgerEntry.objects.filter(storefront=storefront, created_at__gte=start, created_at__lt=end)
               .select_related("order", "order__course").order_by("created_at", "id"))
    for entry in entries:
        line = lines.setdefault(entry.currency, StatementLine(entry.currency))
        line.entries.append(entry)
        if entry.kind == LedgerKind.SALE:
            line.gross += entry.amount
        elif entry.kind == LedgerKind.REFUND:
            line.refunds += entry.amount
        else:
            line.fees += entry.amount
    return [lines[c] for c in sorted(lines)]


def statement_months(storefront) -> list[tuple[int, int]]:
    """Months with ledger entries, newest first (the statement page's month picker)."""
    dates = LedgerEntry.objects.filter(storefront=storefront).dates("created_at", "month", order="DESC")
    return [(d.year, d.month) for d in dates]
