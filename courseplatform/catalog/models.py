"""The marketplace core: categories, storefronts, courses, enrolments, reviews."""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .validators import validate_brand_colors


class Category(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=80)
    name_zh = models.CharField(_("name (Chinese)"), max_length=80, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        if translation.get_language() == "zh-hans" and self.name_zh:
            return self.name_zh
        return self.name


class StorefrontQuerySet(models.QuerySet):
    def owned_by(self, user) -> "StorefrontQuerySet":
        return self.filter(owner=user) if user.is_authenticated else self.none()


class Storefront(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="storefronts", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("address"), unique=True, max_length=60, allow_unicode=False)
    tagline = models.CharField(_("tagline"), max_length=160, blank=True)
    brand_keywords = models.JSONField(_("brand keywords"), default=list, blank=True)
    brand_colors = models.JSONField(_("brand colours"), default=list, blank=True, validators=[validate_brand_colors])
    logo = models.ImageField(_("logo"), upload_to="storefronts/logos/", blank=True)
    theme_preset = models.CharField(_("theme preset"), max_length=40, default="classic")
    default_cover_layout = models.CharField(_("default cover layout"), max_length=40, default="gradient-band")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = StorefrontQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:storefront", kwargs={"slug": self.slug})


class Currency(models.TextChoices):
    """The currencies a course can be sold in (ISO 4217)."""

    USD = "USD", _("US dollar")
    CNY = "CNY", _("Chinese yuan")


class CourseQuerySet(models.QuerySet):
    def published(self) -> "CourseQuerySet":
        """What the public sees: published, and neither the course nor its storefront hidden by moderators
        (``courseplatform.moderation``: every listing, search, sitemaps and the feed go through here)."""
        hidden = apps.get_model("moderation", "Case").objects.filter(hidden=True)
        # NOT IN over the (small) hidden set: a hashed subplan, where LEFT JOINs made PostgreSQL join every course
        return (self.filter(published=True)
                .exclude(pk__in=hidden.filter(course__isnull=False).values("course_id"))
                .exclude(storefront_id__in=hidden.filter(storefront__isnull=False).values("storefront_id")))

    def owned_by(self, user) -> "CourseQuerySet":
        return self.filter(storefront__owner=user) if user.is_authenticated else self.none()


class Course(models.Model):
    class Level(models.TextChoices):
        BEGINNER = "beginner", _("Beginner")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        CHINESE = "zh-hans", _("Simplified Chinese")
        OTHER = "other", _("Other")

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="courses", verbose_name=_("storefront")
    )
    title = models.CharField(_("title"), max_length=120)
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=20000)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="courses", verbose_name=_("category")
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    language = models.CharField(_("language"), max_length=16, choices=Language.choices, default=Language.ENGLISH)
    price = models.DecimalField(
        _("price"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("99999"))],
        help_text=_("In the course's currency; 0 makes the course free."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    published = models.BooleanField(_("published"), default=False)
    cover_layout = models.CharField(_("cover layout"), max_length=40, blank=True,
                                    help_text=_("Leave empty for the storefront's default."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["published", "category"])]
        constraints = [models.CheckConstraint(condition=models.Q(price__gte=0), name="course_price_not_negative")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:course", kwargs={"pk": self.pk})


class Enrollment(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments",
                                verbose_name=_("learner"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="enrollments",
                               verbose_name=_("course"))
    price_paid = models.DecimalField(_("price paid"), max_digits=8, decimal_places=2)
    created_at = models.DateTimeField(_("enrolled"), db_index=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["learner", "course"], name="one_enrollment_per_course")]

    def __str__(self) -> str:
        return f"{self.learner} → {self.course}"


class ReviewQuerySet(models.QuerySet):
    def visible(self) -> "ReviewQuerySet":
        """Reviews not hidden by moderators (``courseplatform.moderation``)."""
        return self.exclude(moderation__hidden=True)


class Review(models.Model):
    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews",
                                verbose_name=_("learner"))
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews",
                               verbose_name=_("course"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(_("review"), blank=True, max_length=5000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["learner", "course"], name="one_review_per_course"),
            models.CheckConstraint(condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.rating}★ {self.course}"
