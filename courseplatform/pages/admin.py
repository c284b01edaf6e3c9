from django.contrib import admin

from .models import NewsletterSignup, PageVersion, StorefrontPage


class PageVersionInline(admin.TabularInline):
    model = PageVersion
    fields = ("number", "created_by", "created_at", "published_at", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(StorefrontPage)
class StorefrontPageAdmin(admin.ModelAdmin):
    list_display = ("storefront", "published_version", "updated_at")
    readonly_fields = ("storefront", "published_version", "updated_at")
    inlines = [PageVersionInline]

    def has_add_permission(self, request) -> bool:  # pages are made in the creator studio's editor
        return False


@admin.register(NewsletterSignup)
class NewsletterSignupAdmin(admin.ModelAdmin):
    list_display = ("email", "storefront", "language", "created_at", "confirmed_at")
    list_filter = ("language", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("email", "storefront__name")
    readonly_fields = ("storefront", "email", "language", "created_at", "confirmed_at")

    def has_add_permission(self, request) -> bool:  # sign-ups come from the storefront's form only
        return False
