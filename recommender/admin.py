from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import CourseSimilarity, FeedItem, ModelVersion, TrainingRun


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("id", "algorithm", "ndcg", "recall", "is_active", "device", "duration_s", "interaction_count",
                    "created_at", "activated_by")
    list_filter = ("algorithm", "is_active", "device")
    list_select_related = ("activated_by",)
    readonly_fields = [f.name for f in ModelVersion._meta.fields]
    actions = ["activate"]

    @admin.display(description="NDCG@10")
    def ndcg(self, obj):
        value = obj.metric("ndcg@10")
        return "–" if value is None else f"{value:.4f}"

    @admin.display(description="Recall@20")
    def recall(self, obj):
        value = obj.metric("recall@20")
        return "–" if value is None else f"{value:.4f}"

    def has_add_permission(self, request):
        return False  # versions come from training runs only

    @admin.action(description=_("Activate the selected version (rollback)"))
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one version to activate."), messages.ERROR)
            return
        version = queryset.get()
        try:
            now = services.version_request_activation(version=version, actor=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            if now:
                self.message_user(request, _("Version #%(id)d is now active.") % {"id": version.pk},
                                  messages.SUCCESS)
            else:
                self.message_user(request, _("Rebuilding the feeds of version #%(id)d; it becomes active when "
                                             "they are ready.") % {"id": version.pk}, messages.INFO)


@admin.register(TrainingRun)
class TrainingRunAdmin(admin.ModelAdmin):
    list_display = ("id", "status", "progress_percent", "algorithm", "forced", "requested_by", "device",
                    "fallback_note", "version", "attempts", "created_at", "finished_at")
    list_filter = ("status", "forced", "device")
    list_select_related = ("requested_by", "version")
    readonly_fields = ("status", "attempts", "progress", "reason", "device", "fallback_note", "version",
                       "created_at", "queued_at", "started_at", "heartbeat_at", "finished_at", "requested_by")
    fields = ("algorithm", "params", "forced", *readonly_fields)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        run = services.training_request(actor=request.user, algorithm=obj.algorithm, params=obj.params,
                                        forced=obj.forced)
        obj.pk = run.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    """Derived rows written by workers: visible to staff for debugging, never edited by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FeedItem)
class FeedItemAdmin(ReadOnlyAdmin):
    list_display = ("version", "user", "rank", "course", "score", "reason_code")
    list_filter = ("version", "reason_code")
    search_fields = ("user__username", "course__title")
    list_select_related = ("version", "user", "course")
    raw_id_fields = ("user", "course")


@admin.register(CourseSimilarity)
class CourseSimilarityAdmin(ReadOnlyAdmin):
    list_display = ("version", "course", "other", "kind", "score")
    list_filter = ("kind", "version")
    search_fields = ("course__title", "other__title")
    list_select_related = ("version", "course", "other")
    raw_id_fields = ("course", "other")
