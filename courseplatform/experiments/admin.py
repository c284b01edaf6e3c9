from django.contrib import admin

from .models import Experiment, Variant


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    readonly_fields = ("key", "arm", "share")
    can_delete = False


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    """Read-only here: experiments change state through ``services`` (the studio pages), never by editing."""

    list_display = ("id", "name", "storefront", "kind", "status", "min_sample_per_variant", "started_at", "stopped_at")
    list_filter = ("status",)
    search_fields = ("name", "storefront__name")
    list_select_related = ("storefront",)
    readonly_fields = ("storefront", "kind", "status", "primary_metric", "baseline_rate", "minimum_detectable_effect",
                       "min_sample_per_variant", "winner", "created_by", "started_at", "stopped_at")
    inlines = [VariantInline]

    def has_add_permission(self, request) -> bool:
        return False
