"""Palette jobs, palettes and their review trail, cover re-render batches."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courseplatform.jobs.models import TrackedJob

from .presentation import palette_name


class PaletteJob(TrackedJob):
    """One run of the palette engine for a storefront's brief (idempotent by job id)."""

    TASK_NAME = "themes.run_palette_job"
    TIME_LIMIT_S = 300

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="palette_jobs",
                                   verbose_name=_("storefront"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+", verbose_name=_("requested by"))
    brief = models.JSONField(_("brief"))
    brief_hash = models.CharField(_("brief hash"), max_length=64, db_index=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    unknown_keywords = models.JSONField(_("unknown keywords"), default=list, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("palette job")
        verbose_name_plural = _("palette jobs")

    def get_absolute_url(self) -> str:
        """The job's page in the studio (a failure notification links to it)."""
        return reverse("themes:palette_job", args=[self.pk])

    def __str__(self) -> str:
        return gettext("Palette job %(id)s for %(storefront)s") % {"id": self.pk, "storefront": self.storefront}


class PaletteStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SUBMITTED = "submitted", _("Submitted for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class Palette(models.Model):
    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="palettes",
                                   verbose_name=_("storefront"))
    job = models.ForeignKey(PaletteJob, on_delete=models.CASCADE, related_name="palettes", null=True, blank=True,
                            verbose_name=_("palette job"))
    rank = models.PositiveSmallIntegerField(_("rank"), default=0)
    colors = models.JSONField(_("light colours"))
    dark = models.JSONField(_("dark colours"))
    scores = models.JSONField(_("scores"), default=dict)
    contrast = models.JSONField(_("contrast"), default=dict)
    details = models.JSONField(_("details"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=PaletteStatus.choices,
                              default=PaletteStatus.PROPOSED, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

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
        return gettext("Palette %(id)s (%(status)s) for %(storefront)s") % {
            "id": self.pk, "status": self.get_status_display(), "storefront": self.storefront}

    @property
    def display_name(self) -> str:
        """"Candidate 2 — Green with light yellow": numbered within its job, named after its colours."""
        return palette_name(self)


class PaletteTransition(models.Model):
    """Audit trail: every status change with who, when and why."""

    palette = models.ForeignKey(Palette, on_delete=models.CASCADE, related_name="transitions",
                                verbose_name=_("palette"))
    from_status = models.CharField(_("from status"), max_length=16, choices=PaletteStatus.choices, blank=True,
                                   help_text=_("Empty for the transition that created the palette."))
    to_status = models.CharField(_("to status"), max_length=16, choices=PaletteStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              verbose_name=_("actor"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("palette transition")
        verbose_name_plural = _("palette transitions")

    def __str__(self) -> str:
        return f"{self.get_from_status_display() or '–'} → {self.get_to_status_display()}"


class CoverBatch(TrackedJob):
    """Re-rendering every cover of a storefront (after a palette activation), fanned out in batches."""

    TASK_NAME = "themes.start_cover_batch"
    TIME_LIMIT_S = 600

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="cover_batches",
                                   verbose_name=_("storefront"))
    total = models.PositiveIntegerField(_("covers in total"), default=0)
    #: how many distinct courses of this batch have their covers rendered (always ``len(rendered)``)
    done = models.PositiveIntegerField(_("covers done"), default=0)
    #: ids of the courses rendered so far: progress counts distinct courses, so a chunk that runs twice (an
    #: acks_late redelivery, an autoretry) never counts its courses twice
    rendered = models.JSONField(_("courses rendered"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cover batch")
        verbose_name_plural = _("cover batches")

    def __str__(self) -> str:
        return gettext("Cover batch %(id)s for %(storefront)s") % {"id": self.pk, "storefront": self.storefront}


class WeightScope(models.TextChoices):
    GLOBAL = "global", _("All categories")
    CATEGORY = "category", _("One category")


class WeightDefaults(models.Model):
    """α, β, γ for new palette briefs, fitted from finished palette A/B tests (``experiment_arms.weights_refit``,
    model in ``brief_feedback.py``). The table keeps the name it had in the experiments app (issue 13 moved the
    model here, state only)."""

    scope = models.CharField(_("scope"), max_length=16, choices=WeightScope.choices)
    category = models.ForeignKey("catalog.Category", on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="+", verbose_name=_("category"))
    alpha = models.FloatField(_("harmony weight"))
    beta = models.FloatField(_("legibility weight"))
    gamma = models.FloatField(_("brand-fit weight"))
    n_experiments = models.PositiveIntegerField(_("experiments"))
    fitted_at = models.DateTimeField(_("fitted"))

    class Meta:
        db_table = "experiments_weightdefaults"
        verbose_name = _("weight defaults")
        verbose_name_plural = _("weight defaults")
        constraints = [
            models.UniqueConstraint(fields=["scope"], condition=models.Q(scope="global"),
                                    name="one_global_weight_defaults"),
            models.UniqueConstraint(fields=["category"], condition=models.Q(scope="category"),
                                    name="one_weight_defaults_per_category"),
            models.CheckConstraint(
                condition=(models.Q(scope="global", category__isnull=True)
                           | models.Q(scope="category", category__isnull=False)),
                name="weight_defaults_scope_matches_category"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.category_id or ''}: {self.alpha}, {self.beta}, {self.gamma}"


class LogoColours(TrackedJob):
    """Brand colours suggested from a storefront's uploaded logo (``themes.palette.extract_colours``, run by a
    worker: the web tier never loads torch). One row per (storefront, logo file): an upload gets a new file
    name, so a new logo gets fresh suggestions. The creator accepts or edits them in the brief form."""

    TASK_NAME = "themes.extract_logo_colours"
    TIME_LIMIT_S = 120

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="logo_colours",
                                   verbose_name=_("storefront"))
    logo_name = models.CharField(_("logo file"), max_length=255)
    #: ``[{"hex": "#rrggbb", "share": 0.42}, ...]``, most prominent first
    colours = models.JSONField(_("suggested colours"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("logo colours")
        verbose_name_plural = _("logo colours")
        constraints = [models.UniqueConstraint(fields=["storefront", "logo_name"], name="one_logo_colours_per_logo")]

    def __str__(self) -> str:
        return gettext("Colours of the logo of %(storefront)s") % {"storefront": self.storefront}
