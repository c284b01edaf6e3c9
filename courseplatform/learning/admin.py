from django.contrib import admin
from django.db import models

from .models import Certificate, Choice, Lesson, LessonProgress, Question, QuizAttempt, Section
from .widgets import PrivateFileInput


class LessonInline(admin.TabularInline):
    model = Lesson
    fields = ("title", "kind", "position", "is_preview", "required", "drip_days", "drip_date")
    extra = 0
    show_change_link = True


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "position")
    list_select_related = ("course",)
    search_fields = ("title", "course__title")
    raw_id_fields = ("course",)
    inlines = [LessonInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "lesson", "multiple")
    raw_id_fields = ("lesson",)
    inlines = [ChoiceInline]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "section", "position", "is_preview", "required")
    list_filter = ("kind", "is_preview", "required")
    list_select_related = ("section",)
    search_fields = ("title", "section__course__title")
    raw_id_fields = ("section",)
    formfield_overrides = {models.FileField: {"widget": PrivateFileInput}}


@admin.register(LessonProgress)
class LessonProgressAdmin(admin.ModelAdmin):
    list_display = ("learner", "lesson", "completed_at", "watched_s", "updated_at")
    list_select_related = ("learner", "lesson")
    raw_id_fields = ("learner", "lesson")
    readonly_fields = ("learner", "lesson", "completed_at", "watched_s", "position_s", "duration_s", "beacon_at")

    def has_add_permission(self, request) -> bool:  # progress comes from learners
        return False


@admin.register(QuizAttempt)
class QuizAttemptAdmin(admin.ModelAdmin):
    list_display = ("learner", "lesson", "score", "passed", "created_at")
    list_filter = ("passed",)
    list_select_related = ("learner", "lesson")
    readonly_fields = ("learner", "lesson", "answers", "score", "passed", "created_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("learner_name", "course_title", "issued_at", "uuid")
    search_fields = ("learner_name", "course_title", "uuid")
    readonly_fields = ("uuid", "learner", "course", "learner_name", "course_title", "issued_at")

    def has_add_permission(self, request) -> bool:  # issued on completion only
        return False
