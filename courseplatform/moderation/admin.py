"""Read-only admin: reports come from users, decisions from the moderation queue (``services.case_decide``)."""

from django.contrib import admin

from .models import Case, Decision, Report


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReportInline(admin.TabularInline):
    model = Report
    fields = ("created_at", "reporter", "reason", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DecisionInline(ReportInline):
    model = Decision
    fields = ("created_at", "actor", "action", "hidden_before", "hidden_after", "note")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "owner", "reports_count", "hidden", "open", "last_reported_at", "decided_at")
    list_filter = ("kind", "hidden", "open")
    search_fields = ("owner__username", "course__title", "storefront__name")
    list_select_related = ("owner", "storefront", "page__storefront", "course", "review")
    inlines = [ReportInline, DecisionInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("case", "reporter", "reason", "created_at")
    list_filter = ("reason",)
    search_fields = ("reporter__username", "note")
    list_select_related = ("case", "reporter")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "action", "actor", "created_at")
    list_filter = ("action",)
    list_select_related = ("case", "actor")
