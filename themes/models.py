"""Palette jobs, palettes and their review trail, cover re-render batches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courseplatform.jobs.models import TrackedJob


class PaletteJob(TrackedJob):
    """One run of the palette engine for a storefront's brief (idempotent by job id)."""

    TASK_NAME = "themes.run_palette_job"
    TIME_LIMIT_S = 300

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="palette_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    brief = models.JSONField(_("brief"))
    brief_hash = models.CharField(max_length=64, db_index=True)
    seconds = models.FloatField(null=True, blank=True)
    unknown_keywords = models.JSONField(default=list, blank=True)
    engine_version = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("palette job")
        verbose_name_plural = _("palette jobs")

    def __str__(self) -> str:
        return f"Palette job {self.pk} for {self.storefront}"


class PaletteStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Palette(models.Model):
    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="palettes")
    job = models.ForeignKey(PaletteJob, on_delete=models.CASCADE, related_name="palettes", null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=0)
    colors = models.JSONField(_("light colours"))
    dark = models.JSONField(_("dark colours"))
    scores = models.JSONField(default=dict)
    contrast = models.JSONField(default=dict)
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=PaletteStatus.choices, default=PaletteStatus.PROPOSED,
                              db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["job_id", "rank"]
        verbose_name = _("palette")
        verbose_name_plural = _("palettes")
        permissions = [("approve_palette", _("Can approve or reject palettes"))]
        constraints = [
            models.UniqueConstraint(fields=["job", "rank"], name="one_palette_per_job_rank"),
            models.UniqueConstraint(fields=["storefront"], condition=models.Q(status="active"),
                                    name="one_active_palette_per_storefront"),
        ]

    def __str__(self) -> str:
        return f"Palette {self.pk} ({self.get_status_display()}) for {self.storefront}"


class PaletteTransition(models.Model):
    """Audit trail: every status change with who, when and why."""

    palette = models.ForeignKey(Palette, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=PaletteStatus.choices)
    to_status = models.CharField(max_length=16, choices=PaletteStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class CoverBatch(TrackedJob):
    """Re-rendering every cover of a storefront (after a palette activation), fanned out in batches."""

    TASK_NAME = "themes.start_cover_batch"
    TIME_LIMIT_S = 600

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="cover_batches")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Cover batch {self.pk} for {self.storefront}"
