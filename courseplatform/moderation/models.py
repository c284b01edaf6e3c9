"""Reports on public content and what moderators decided about it.

One :class:`Case` per piece of content ever reported or moderated (a storefront, its page, a course, a review);
its ``hidden`` flag is what every public listing filters on (``Course.objects.published()``, the storefront and
course pages, search, sitemaps, the feed). :class:`Report` rows are the reports (one per account and case: a
repeated report counts once); :class:`Decision` rows are the staff audit trail (never edited).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ContentKind(models.TextChoices):
    STOREFRONT = "storefront", _("Storefront")
    PAGE = "page", _("Storefront page")
    COURSE = "course", _("Course")
    REVIEW = "review", _("Review")


#: the Case field holding each kind's content
TARGET_FIELDS = {ContentKind.STOREFRONT: "storefront", ContentKind.PAGE: "page", ContentKind.COURSE: "course",
                 ContentKind.REVIEW: "review"}


class Reason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    SCAM = "scam", _("Fraud or misleading claims")
    HATE = "hate", _("Hate speech or harassment")
    SEXUAL = "sexual", _("Sexual content")
    VIOLENCE = "violence", _("Violence or dangerous acts")
    COPYRIGHT = "copyright", _("Copyright or trademark infringement")
    PRIVACY = "privacy", _("Someone else's personal information")
    OTHER = "other", _("Something else")


class Action(models.TextChoices):
    HIDE = "hide", _("Hide")
    RESTORE = "restore", _("Restore")
    DISMISS = "dismiss", _("Dismiss reports")


def _only(field: str) -> Q:
    q = Q(kind=next(k for k, f in TARGET_FIELDS.items() if f == field), **{f"{field}__isnull": False})
    for other in TARGET_FIELDS.values():
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


class Case(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=ContentKind.choices)
    storefront = models.OneToOneField("catalog.Storefront", on_delete=models.CASCADE, null=True, blank=True,
                                      related_name="moderation", verbose_name=_("storefront"))
    page = models.OneToOneField("pages.StorefrontPage", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="moderation", verbose_name=_("storefront page"))
    course = models.OneToOneField("catalog.Course", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="moderation", verbose_name=_("course"))
    review = models.OneToOneField("catalog.Review", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="moderation", verbose_name=_("review"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", verbose_name=_("content owner"))
    hidden = models.BooleanField(_("hidden"), default=False, db_index=True)
    open = models.BooleanField(_("awaiting review"), default=True, db_index=True)
    reports_count = models.PositiveIntegerField(_("reports"), default=0)
    last_reported_at = models.DateTimeField(_("last reported"), null=True, blank=True)
    owner_note = models.TextField(_("note to the owner"), blank=True, max_length=1000)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-last_reported_at", "-id"]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")
        permissions = [("moderate_content", _("Can hide and restore reported content"))]
        indexes = [models.Index(fields=["open", "-last_reported_at"], name="moderation_case_queue")]
        constraints = [models.CheckConstraint(
            condition=_only("storefront") | _only("page") | _only("course") | _only("review"),
            name="moderation_case_one_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def content(self):
        return getattr(self, TARGET_FIELDS[ContentKind(self.kind)])

    @property
    def title(self) -> str:
        content = self.content
        if self.kind == ContentKind.REVIEW:
            return f"{content.rating}★ {content.text[:80]}" if content.text else f"{content.rating}★"
        if self.kind == ContentKind.PAGE:
            return str(content.storefront)
        return str(content)

    @property
    def url(self) -> str:
        content = self.content
        if self.kind == ContentKind.PAGE:
            return content.storefront.get_absolute_url()
        if self.kind == ContentKind.REVIEW:
            return f"{content.course.get_absolute_url()}#review-{content.pk}"
        return content.get_absolute_url()


class Report(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports", verbose_name=_("case"))
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="content_reports",
                                 verbose_name=_("reported by"))
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_account")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.case})"


class Decision(models.Model):
    """The audit trail: one row per staff action, written by ``services.case_decide`` only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case"))
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              related_name="+", verbose_name=_("actor"))
    hidden_before = models.BooleanField(_("hidden before"))
    hidden_after = models.BooleanField(_("hidden after"))
    note = models.TextField(_("note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("decided"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.case})"
