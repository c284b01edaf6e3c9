"""A course's curriculum (sections of lessons, quizzes) and what learners did with it (progress, attempts,
certificates)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from courseplatform.catalog.models import Course

from .storage import private_storage_callable


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections", verbose_name=_("course"))
    title = models.CharField(_("title"), max_length=120)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        VIDEO = "video", _("Video")
        ATTACHMENT = "attachment", _("Download")
        QUIZ = "quiz", _("Quiz")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons",
                                verbose_name=_("section"))
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEXT)
    position = models.PositiveIntegerField(_("position"), default=0)
    body = models.TextField(_("text"), blank=True, max_length=50000,
                            help_text=_("Paragraphs, bold, italic, links, lists, headings and quotes."))
    video = models.FileField(_("video file"), storage=private_storage_callable, upload_to="videos/%Y/%m/",
                             blank=True, max_length=200)
    captions = models.FileField(_("captions (WebVTT)"), storage=private_storage_callable,
                                upload_to="captions/%Y/%m/", blank=True, max_length=200)
    video_url = models.URLField(_("video address"), blank=True,
                                help_text=_("Instead of a file: an https address of the video."))
    duration_s = models.FloatField(_("video length (seconds)"), null=True, blank=True,
                                   validators=[MinValueValidator(1)])
    attachment = models.FileField(_("file"), storage=private_storage_callable, upload_to="files/%Y/%m/",
                                  blank=True, max_length=200)
    is_preview = models.BooleanField(_("free preview"), default=False,
                                     help_text=_("Anyone may see a preview lesson, enrolled or not."))
    required = models.BooleanField(_("required"), default=True,
                                   help_text=_("The course is complete once every required lesson is."))
    drip_days = models.PositiveIntegerField(_("opens after (days)"), null=True, blank=True,
                                            validators=[MaxValueValidator(3650)],
                                            help_text=_("Days after the learner enrols."))
    drip_date = models.DateField(_("opens on"), null=True, blank=True)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"), default=70,
                                                 validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), null=True, blank=True,
                                                    validators=[MinValueValidator(1), MaxValueValidator(100)],
                                                    help_text=_("Empty: unlimited."))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title

    @property
    def course_id(self) -> int:
        return self.section.course_id


class Question(models.Model):
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions",
                               verbose_name=_("quiz"))
    text = models.CharField(_("question"), max_length=500)
    multiple = models.BooleanField(_("several answers"), default=False)
    explanation = models.TextField(_("explanation"), blank=True, max_length=2000,
                                   help_text=_("Shown after the learner submits."))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices",
                                 verbose_name=_("question"))
    text = models.CharField(_("answer"), max_length=300)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text


class LessonProgress(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress",
                                verbose_name=_("learner"))
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    watched_s = models.FloatField(_("seconds watched"), default=0)
    position_s = models.FloatField(_("last position (seconds)"), default=0)
    duration_s = models.FloatField(_("video length seen by the player"), null=True, blank=True)
    # the watch clock: when the lesson was first opened (or first reported); watched_s never exceeds the time since
    beacon_at = models.DateTimeField(_("watch clock started"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [models.UniqueConstraint(fields=["learner", "lesson"], name="one_progress_per_lesson")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.lesson}"


class QuizAttempt(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts",
                                verbose_name=_("learner"))
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz"))
    answers = models.JSONField(_("answers"), default=dict)  # {question id: [choice ids]}
    score = models.PositiveSmallIntegerField(_("score (%)"))
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self) -> str:
        return f"{self.learner} · {self.lesson} · {self.score}%"


class Certificate(models.Model):
    uuid = models.UUIDField(_("number"), unique=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates",
                                verbose_name=_("learner"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="certificates",
                               verbose_name=_("course"))
    # what the certificate says, kept as issued
    learner_name = models.CharField(_("name"), max_length=150)
    course_title = models.CharField(_("course title"), max_length=120)
    issued_at = models.DateTimeField(_("issued"))

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [models.UniqueConstraint(fields=["learner", "course"], name="one_certificate_per_course")]

    def __str__(self) -> str:
        return f"{self.learner_name} · {self.course_title}"
