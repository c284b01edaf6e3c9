from django.contrib import admin

from .models import Category, Course, Enrollment, Review, Storefront


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_zh", "slug")
    search_fields = ("name", "name_zh", "slug")
    prepopulated_fields = {"slug": ("name",)}


class CourseInline(admin.TabularInline):
    model = Course
    fields = ("title", "category", "price", "published")
    extra = 0
    show_change_link = True


@admin.register(Storefront)
class StorefrontAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "owner", "created_at")
    search_fields = ("name", "slug", "owner__username")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    inlines = [CourseInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("title", "storefront", "category", "level", "language", "price", "published", "created_at")
    list_filter = ("published", "level", "language", "category")
    search_fields = ("title", "subtitle", "storefront__name")
    list_select_related = ("storefront", "category")
    raw_id_fields = ("storefront",)
    date_hierarchy = "created_at"


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("learner", "course", "price_paid", "created_at", "completed_at")
    list_filter = ("course__category",)
    search_fields = ("learner__username", "course__title")
    list_select_related = ("learner", "course")
    raw_id_fields = ("learner", "course")
    date_hierarchy = "created_at"


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ("course", "learner", "rating", "created_at")
    list_filter = ("rating",)
    search_fields = ("course__title", "learner__username", "text")
    list_select_related = ("learner", "course")
    raw_id_fields = ("learner", "course")
