"""Read-only admin: consent rows, exports and erasures are written by the people they concern (services)."""

from django.contrib import admin

from .models import AccountErasure, DataExport, TrackingConsent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrackingConsent)
class TrackingConsentAdmin(ReadOnlyAdmin):
    list_display = ("user", "granted", "decided_at")
    list_filter = ("granted",)
    search_fields = ("user__username",)


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "user", "status", "progress", "size", "created_at", "expires_at")
    list_filter = ("status",)
    search_fields = ("user__username",)
    exclude = ("token",)  # the download link's secret


@admin.register(AccountErasure)
class AccountErasureAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "erased_at", "reviews", "placeholder")
    readonly_fields = ("placeholder", "reviews", "counts", "erased_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
