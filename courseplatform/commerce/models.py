"""Selling courses: orders, payments (django-payments), coupons, refunds, provider webhook events and the
creators' append-only earnings ledger.

Rows here come from workflows (checkout, payment, refund, webhooks), never from free editing: the services in
:mod:`.services` own every invariant and the admin shows them read-only.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from payments import PurchasedItem
from payments.core import get_base_url
from payments.models import BasePayment

from courseplatform.catalog.models import Course, Currency, Storefront

MONEY = {"max_digits": 10, "decimal_places": 2}


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    PAID = "paid", pgettext_lazy("order status", "Paid")
    REFUNDED = "refunded", _("Refunded")
    FAILED = "failed", _("Payment failed")
    EXPIRED = "expired", _("Expired")


class Order(models.Model):
    """One learner buying one course. Prices are computed on the server at checkout and snapshotted here."""

    number = models.UUIDField(_("order number"), default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="orders",
                                verbose_name=_("learner"))
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="orders", verbose_name=_("course"))
    storefront = models.ForeignKey(Storefront, on_delete=models.PROTECT, related_name="orders",
                                   verbose_name=_("storefront"))
    status = models.CharField(_("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PENDING)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    list_price = models.DecimalField(_("list price"), **MONEY)
    discount = models.DecimalField(_("discount"), default=Decimal("0.00"), **MONEY)
    amount = models.DecimalField(_("amount"), **MONEY)
    coupon = models.ForeignKey("Coupon", on_delete=models.PROTECT, null=True, blank=True, related_name="orders",
                               verbose_name=_("coupon"))
    flagged = models.BooleanField(_("flagged"), default=False,
                                  help_text=_("A payment did not match this order; it was not fulfilled."))
    flag_reason = models.TextField(_("flag reason"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires"))
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        constraints = [
            # a double click or a retried request finds the learner's pending order instead of a second one
            models.UniqueConstraint(fields=["learner", "course"], condition=models.Q(status="pending"),
                                    name="one_pending_order_per_course"),
            models.UniqueConstraint(fields=["learner", "course"], condition=models.Q(status="paid"),
                                    name="one_paid_order_per_course"),
            models.CheckConstraint(condition=models.Q(amount__gte=0, discount__gte=0),
                                   name="order_amounts_not_negative"),
        ]

    def __str__(self) -> str:
        return str(self.number)

    def get_absolute_url(self) -> str:
        return reverse("commerce:order", kwargs={"order": self.number})


class Payment(BasePayment):
    """A payment attempt for an order through a django-payments provider (``variant``)."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments", verbose_name=_("order"))

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        indexes = [models.Index(fields=["variant", "token"])]  # webhooks find their payment by token

    #: set by the view from the request (the site's own address), so return URLs match the host in use
    base_url: str = ""

    def _absolute(self, name: str) -> str:
        return (self.base_url or get_base_url()).rstrip("/") + reverse(name, kwargs={"order": self.order.number})

    def get_success_url(self) -> str:
        return self._absolute("commerce:order")

    def get_failure_url(self) -> str:
        return self._absolute("commerce:order")

    def get_purchased_items(self):
        yield PurchasedItem(name=self.order.course.title[:100], sku=str(self.order.course_id), quantity=1,
                            price=self.order.amount, currency=self.order.currency)


#: labels for django-payments' own fields (its plain-str names would stay English in the admin)
PAYMENT_LABELS = {
    "variant": _("provider"), "status": _("status"), "fraud_status": _("fraud check"),
    "fraud_message": _("fraud message"), "created": _("created"), "modified": _("modified"),
    "transaction_id": _("transaction id"), "currency": _("currency"), "total": _("total"),
    "delivery": _("delivery"), "tax": _("tax"), "description": _("description"),
    "billing_first_name": _("first name"), "billing_last_name": _("last name"),
    "billing_address_1": _("address line 1"), "billing_address_2": _("address line 2"),
    "billing_city": _("city"), "billing_postcode": _("postcode"), "billing_country_code": _("country"),
    "billing_country_area": _("region"), "billing_email": _("e-mail"), "billing_phone": _("phone"),
    "customer_ip_address": _("customer IP address"), "extra_data": _("provider data"), "message": _("message"),
    "token": _("token"), "captured_amount": _("captured amount"),
}
for _name, _label in PAYMENT_LABELS.items():  # Payment's own copies of the abstract fields
    Payment._meta.get_field(_name).verbose_name = _label


class StorefrontCommerce(models.Model):
    """A storefront's selling settings (a row per storefront, created with defaults on first use)."""

    storefront = models.OneToOneField(Storefront, on_delete=models.CASCADE, related_name="commerce",
                                      verbose_name=_("storefront"))
    refund_window_days = models.PositiveSmallIntegerField(
        _("refund window (days)"), default=14, validators=[MaxValueValidator(365)],
        help_text=_("Learners may ask for a refund this many days after paying (0: no refunds)."))
    auto_refund_days = models.PositiveSmallIntegerField(
        _("automatic refunds (days)"), default=0, validators=[MaxValueValidator(365)],
        help_text=_("Refund requests this many days after paying are approved at once (0: you decide each)."))

    class Meta:
        verbose_name = _("storefront selling settings")
        verbose_name_plural = _("storefront selling settings")

    def __str__(self) -> str:
        return str(self.storefront)


class CouponKind(models.TextChoices):
    PERCENT = "percent", _("Percentage off")
    FIXED = "fixed", _("Fixed amount off")


class Coupon(models.Model):
    """A discount code of one storefront, for all its courses or one. Codes are stored upper-case (case-insensitive
    look-up). ``redeemed_count`` counts orders holding the coupon (pending or paid); an expired or failed order
    gives its use back."""

    storefront = models.ForeignKey(Storefront, on_delete=models.CASCADE, related_name="coupons",
                                   verbose_name=_("storefront"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, null=True, blank=True, related_name="coupons",
                               verbose_name=_("course"), help_text=_("Leave empty for every course."))
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=8, choices=CouponKind.choices, default=CouponKind.PERCENT)
    value = models.DecimalField(_("value"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY,
                                help_text=_("Percent (1 to 100), or an amount in the course's currency."))
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True,
                                help_text=_("For a fixed amount: the currency of the courses it applies to."))
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(_("total uses"), null=True, blank=True,
                                                  help_text=_("Leave empty for no limit."))
    max_per_learner = models.PositiveSmallIntegerField(_("uses per learner"), default=1,
                                                       validators=[MinValueValidator(1)])
    redeemed_count = models.PositiveIntegerField(_("uses"), default=0, editable=False)
    #: a personal coupon (a points reward): only this learner may use it (protected: erasing the learner moves it
    #: to the placeholder account, so it never becomes a code anyone may use)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="personal_coupons", verbose_name=_("only for"))
    paused = models.BooleanField(_("paused"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "code"], name="one_coupon_code_per_storefront"),
            models.CheckConstraint(
                condition=models.Q(max_redemptions__isnull=True) | models.Q(redeemed_count__lte=models.F(
                    "max_redemptions")), name="coupon_uses_within_limit"),
        ]

    def __str__(self) -> str:
        return self.code


class CouponRedemption(models.Model):
    """A coupon held by an order (one per order); deleted when a pending order expires or fails."""

    coupon = models.ForeignKey(Coupon, on_delete=models.PROTECT, related_name="redemptions",
                               verbose_name=_("coupon"))
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="redemption",
                                 verbose_name=_("order"))
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("learner"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("coupon use")
        verbose_name_plural = _("coupon uses")

    def __str__(self) -> str:
        return f"{self.coupon_id} → {self.order_id}"


class RefundStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Declined")


class Refund(models.Model):
    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="refund", verbose_name=_("order"))
    status = models.CharField(_("status"), max_length=10, choices=RefundStatus.choices,
                              default=RefundStatus.REQUESTED)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    automatic = models.BooleanField(_("automatic"), default=False)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.order} ({self.get_status_display()})"


class WebhookStatus(models.TextChoices):
    PROCESSED = "processed", _("Processed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed (will be processed again)")


class WebhookEvent(models.Model):
    """One provider event, by the provider's event id: processed once; a failed one is processed again when the
    provider retries it."""

    provider = models.CharField(_("provider"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=255)
    kind = models.CharField(_("event type"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=WebhookStatus.choices)
    order = models.ForeignKey(Order, on_delete=models.PROTECT, null=True, blank=True, related_name="webhook_events",
                              verbose_name=_("order"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="one_row_per_provider_event")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class LedgerKind(models.TextChoices):
    SALE = "sale", _("Sale")
    FEE = "fee", _("Platform fee")
    REFUND = "refund", _("Refund")
    FEE_RETURN = "fee_return", _("Platform fee returned")


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("the ledger is append-only")

    def delete(self):
        raise TypeError("the ledger is append-only")


class LedgerEntry(models.Model):
    """A creator's earnings, append-only: sales and refunds are signed amounts (refunds and fees negative)."""

    storefront = models.ForeignKey(Storefront, on_delete=models.PROTECT, related_name="ledger",
                                   verbose_name=_("storefront"))
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="ledger", verbose_name=_("order"))
    kind = models.CharField(_("kind"), max_length=12, choices=LedgerKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices)
    created_at = models.DateTimeField(_("recorded"), db_index=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="one_ledger_entry_per_order_kind")]
        indexes = [models.Index(fields=["storefront", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("the ledger is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("the ledger is append-only")
