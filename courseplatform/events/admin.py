from django.contrib import admin

from .models import Interaction


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ("type", "course", "user", "session_key", "surface", "position", "ts")
    list_filter = ("type", "surface")
    search_fields = ("course__title", "user__username")
    raw_id_fields = ("user", "course")
    list_select_related = ("user", "course")
    date_hierarchy = "ts"
