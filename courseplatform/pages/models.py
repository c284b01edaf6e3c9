"""A storefront's landing page: versions of an ordered section list; one of them is published."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: the host's own key in every section's data: the language the creator wrote the section in
LANGUAGE_KEY = "content_language"

class StorefrontPage(models.Model):
    storefront = models.OneToOneField("catalog.Storefront", on_delete=models.CASCADE, related_name="page",
                                      verbose_name=_("storefront"))
    published_version = models.ForeignKey("PageVersion", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("published version"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("storefront page")
        verbose_name_plural = _("storefront pages")

    def __str__(self) -> str:
        return str(self.storefront)


class PageVersion(models.Model):
    """``sections`` is a list of ``{"id", "type", "data"}``; ``data`` was cleaned by the section's plugin.
    A version with ``published_at`` set is frozen; edits go to the newest unpublished version (the draft)."""

    page = models.ForeignKey(StorefrontPage, on_delete=models.CASCADE, related_name="versions",
                             verbose_name=_("page"))
    number = models.PositiveIntegerField(_("number"))
    sections = models.JSONField(_("sections"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("page version")
        verbose_name_plural = _("page versions")
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="one_number_per_page_version")]

    def __str__(self) -> str:
        return f"{self.page} v{self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class NewsletterSignup(models.Model):
    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="newsletter_signups",
                                   verbose_name=_("storefront"))
    email = models.EmailField(_("email address"), max_length=254)
    language = models.CharField(_("language"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    #: set from the mailed link (double opt-in); only confirmed addresses count
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("newsletter sign-up")
        verbose_name_plural = _("newsletter sign-ups")
        constraints = [models.UniqueConstraint(fields=["storefront", "email"], name="one_signup_per_email")]

    def __str__(self) -> str:
        return self.email
