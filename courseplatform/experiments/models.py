"""Experiments (fixed-horizon A/B tests on a storefront) and their variants.

What a variant shows (its *arm*) is a plugin's business: ``Experiment.kind`` names an arm kind registered through
the ``experiment_arm_kinds`` hook (e.g. the theming plugin's "palette") and ``Variant.arm`` is that kind's
reference (e.g. a palette id). The framework never interprets either."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExperimentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    RUNNING = "running", _("Running")
    STOPPED = "stopped", _("Stopped")
    FINISHED = "finished", _("Finished")


class Metric(models.TextChoices):
    CLICK = "click", _("Click-through")
    ENROLL = "enroll", _("Enrolment")


class Experiment(models.Model):
    """A fixed-horizon A/B test of two or more arms of one kind on one storefront.

    Interaction rows carry ``experiment = str(pk)`` and ``variant = Variant.key``; stopping or finishing an
    experiment never deletes them.
    """

    storefront = models.ForeignKey("catalog.Storefront", on_delete=models.CASCADE, related_name="experiments",
                                   verbose_name=_("storefront"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("what is tested"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=ExperimentStatus.choices,
                              default=ExperimentStatus.DRAFT, db_index=True)
    primary_metric = models.CharField(_("decision metric"), max_length=16, choices=Metric.choices,
                                      default=Metric.ENROLL)
    baseline_rate = models.FloatField(_("baseline rate"), default=0.05,
                                      validators=[MinValueValidator(0.0001), MaxValueValidator(0.9999)])
    minimum_detectable_effect = models.FloatField(_("minimum detectable effect"), default=0.02,
                                                  validators=[MinValueValidator(0.0001), MaxValueValidator(0.9)])
    min_sample_per_variant = models.PositiveIntegerField(_("planned visitors per variant"), default=0)
    winner = models.CharField(_("promoted variant"), max_length=8, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        constraints = [
            models.UniqueConstraint(fields=["storefront"], condition=models.Q(status="running"),
                                    name="one_running_experiment_per_storefront"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag(self) -> str:
        """The value written to ``Interaction.experiment``."""
        return str(self.pk)


class Variant(models.Model):
    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    key = models.CharField(_("variant"), max_length=8)
    arm = models.CharField(_("arm"), max_length=64)
    share = models.FloatField(_("traffic share"), validators=[MinValueValidator(0.0), MaxValueValidator(1.0)])

    class Meta:
        ordering = ["experiment_id", "key"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="one_variant_per_key"),
            models.UniqueConstraint(fields=["experiment", "arm"], name="one_variant_per_arm"),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}/{self.key}"
