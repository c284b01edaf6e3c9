"""Consent to non-essential tracking, data exports and the record of erased accounts.

Every table holding personal data is listed in ``PERSONAL_DATA.md`` with what account deletion does to it
(``tests/privacy/test_personal_data_inventory.py`` fails on a model with a user foreign key that is not listed).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackingConsent(models.Model):
    """A signed-in person's choice about non-essential tracking (anonymous visitors: a cookie)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracking_consent",
                                verbose_name=_("user"))
    granted = models.BooleanField(_("tracking allowed"))
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("tracking consent")
        verbose_name_plural = _("tracking consents")

    def __str__(self) -> str:
        return f"{self.user_id}: {'granted' if self.granted else 'denied'}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class DataExport(models.Model):
    """One archive of a person's data, built by a worker (``tasks.build_export``), downloadable until
    ``expires_at`` by its owner only (a signed link naming ``token``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports",
                             verbose_name=_("user"))
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")

    def __str__(self) -> str:
        return f"export #{self.pk} ({self.status})"


class ReviewChoice(models.TextChoices):
    ANONYMISE = "anonymise", _("Keep my reviews without my name")
    REMOVE = "remove", _("Remove my reviews")


class AccountErasure(models.Model):
    """The audit row of one erased account. It holds no personal data: not the person's id, name or e-mail;
    ``placeholder`` is the nameless account kept orders and anonymised reviews now belong to."""

    placeholder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("placeholder account"))
    reviews = models.CharField(_("reviews"), max_length=10, choices=ReviewChoice.choices)
    counts = models.JSONField(_("rows changed"), default=dict)
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)

    class Meta:
        ordering = ["-erased_at", "-id"]
        verbose_name = _("account erasure")
        verbose_name_plural = _("account erasures")

    def __str__(self) -> str:
        return f"erasure #{self.pk}"
