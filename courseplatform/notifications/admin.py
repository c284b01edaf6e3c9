from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Follow, MailLanguage, Notification, OutboxEmail, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "created_at", "read_at", "in_digest")
    list_filter = ("kind", "in_digest")
    search_fields = ("user__username", "key")
    raw_id_fields = ("user",)
    readonly_fields = ("created_at",)


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "channel", "updated_at")
    list_filter = ("kind", "channel")
    search_fields = ("user__username",)
    raw_id_fields = ("user",)


@admin.register(MailLanguage)
class MailLanguageAdmin(admin.ModelAdmin):
    list_display = ("user", "language")
    raw_id_fields = ("user",)


@admin.action(description=_("Send again (check first that the mail did not arrive)"))
def send_again(modeladmin, request, queryset):
    count = services.outbox_requeue(list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(request, _("%(count)d mails queued again.") % {"count": count})


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("key", "to_email", "kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "kind")
    search_fields = ("key", "to_email", "subject")
    raw_id_fields = ("user",)
    readonly_fields = ("key", "status", "attempts", "claimed_at", "sent_at", "created_at", "error")
    actions = [send_again]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ("follower", "creator", "created_at")
    search_fields = ("follower__username", "creator__username")
    raw_id_fields = ("follower", "creator")
