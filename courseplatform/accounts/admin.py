from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "display_name", "role", "is_staff", "date_joined")
    list_filter = ("role", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "email", "display_name")
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Platform"), {"fields": ("role", "display_name", "interests")}))
    filter_horizontal = ("groups", "user_permissions", "interests")
