"""Admin: rows that come from workflows (orders, payments, refunds, the ledger, webhook events, coupon uses) are
read-only; staff may pause a coupon and change a storefront's selling settings."""

from django.contrib import admin

from .models import (
    Coupon,
    CouponRedemption,
    LedgerEntry,
    Order,
    Payment,
    Refund,
    StorefrontCommerce,
    WebhookEvent,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "learner", "course", "status", "amount", "currency", "flagged", "created_at")
    list_filter = ("status", "flagged", "currency")
    search_fields = ("number", "learner__username", "course__title")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("order", "variant", "status", "total", "captured_amount", "currency", "created")
    list_filter = ("variant", "status")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("order", "status", "automatic", "requested_at", "decided_at")
    list_filter = ("status", "automatic")


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "storefront", "order", "kind", "amount", "currency")
    list_filter = ("kind", "currency")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("provider", "event_id", "kind", "status", "attempts", "received_at")
    list_filter = ("provider", "status")


@admin.register(CouponRedemption)
class CouponRedemptionAdmin(ReadOnlyAdmin):
    list_display = ("coupon", "order", "learner", "created_at")


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ("code", "storefront", "course", "kind", "value", "redeemed_count", "max_redemptions", "paused")
    list_filter = ("paused", "kind")
    search_fields = ("code",)
    fields = ("paused",)

    def has_add_permission(self, request, obj=None):
        return False  # creators make coupons in the studio (codes normalised, limits checked)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StorefrontCommerce)
class StorefrontCommerceAdmin(admin.ModelAdmin):
    list_display = ("storefront", "refund_window_days", "auto_refund_days")
