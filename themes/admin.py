from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CoverBatch, Palette, PaletteJob, PaletteTransition, WeightDefaults


class TransitionInline(admin.TabularInline):
    model = PaletteTransition
    extra = 0
    readonly_fields = ("from_status", "to_status", "actor", "note", "at")
    can_delete = False


@admin.register(Palette)
class PaletteAdmin(admin.ModelAdmin):
    list_display = ("id", "storefront", "status", "rank", "job", "updated_at")
    list_filter = ("status",)
    search_fields = ("storefront__name",)
    list_select_related = ("storefront", "job")
    readonly_fields = ("colors", "dark", "scores", "contrast", "details", "status", "job", "storefront", "rank")
    inlines = [TransitionInline]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, action, note):
        done = 0
        for palette in queryset:
            try:
                action(palette=palette, actor=request.user, note=note)
                done += 1
            except (PermissionDenied, ValidationError) as error:
                self.message_user(request, f"{palette}: {error}", messages.ERROR)
        if done:
            self.message_user(request, _("%d palettes updated.") % done, messages.SUCCESS)

    @admin.action(description=_("Approve selected palettes"), permissions=["approve"])
    def approve(self, request, queryset):
        self._decide(request, queryset, services.palette_approve, "approved in admin")

    @admin.action(description=_("Reject selected palettes"), permissions=["approve"])
    def reject(self, request, queryset):
        self._decide(request, queryset, services.palette_reject, "rejected in admin")

    def has_approve_permission(self, request) -> bool:
        return request.user.has_perm("themes.approve_palette")


@admin.register(PaletteJob)
class PaletteJobAdmin(admin.ModelAdmin):
    list_display = ("id", "storefront", "status", "progress", "device", "seconds", "attempts", "created_at")
    list_filter = ("status", "device")
    search_fields = ("storefront__name",)
    list_select_related = ("storefront",)
    readonly_fields = [f.name for f in PaletteJob._meta.fields]

    def has_add_permission(self, request) -> bool:  # jobs are created from a creator's brief
        return False


@admin.register(CoverBatch)
class CoverBatchAdmin(admin.ModelAdmin):
    list_display = ("id", "storefront", "status", "done", "total", "created_at")
    list_filter = ("status",)
    readonly_fields = [f.name for f in CoverBatch._meta.fields]

    def has_add_permission(self, request) -> bool:  # batches follow a palette activation
        return False


@admin.register(PaletteTransition)
class PaletteTransitionAdmin(admin.ModelAdmin):
    """The review audit trail: who moved which palette where, when and why."""

    list_display = ("palette", "from_status", "to_status", "actor", "at", "note")
    list_filter = ("to_status",)
    search_fields = ("palette__storefront__name", "actor__username", "note")
    list_select_related = ("palette__storefront", "actor")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WeightDefaults)
class WeightDefaultsAdmin(admin.ModelAdmin):
    list_display = ("scope", "category", "alpha", "beta", "gamma", "n_experiments", "fitted_at")
    readonly_fields = list_display

    def has_add_permission(self, request) -> bool:  # rows come from the fit (refit_brief_defaults), not by hand
        return False
