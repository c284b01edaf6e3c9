"""Trained model versions and materialised feeds (the interaction log is ``courseplatform.events``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from courseplatform.jobs.models import TrackedJob


class ModelVersion(models.Model):
    """One trained model: its parameters, holdout metrics and an immutable artifact directory.

    At most one version is active (a partial unique constraint); activating one flips the flag in a
    transaction, so serving switches to the new version's materialised feed rows with no restart.
    """

    algorithm = models.CharField(_("algorithm"), max_length=32)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    metrics = models.JSONField(_("holdout metrics"), default=dict, blank=True)
    interaction_count = models.PositiveIntegerField(_("interactions"), default=0)
    user_count = models.PositiveIntegerField(_("learners"), default=0)
    item_count = models.PositiveIntegerField(_("courses"), default=0)
    device = models.CharField(_("device"), max_length=32, blank=True)
    duration_s = models.FloatField(_("duration (s)"), default=0.0)
    artifact_dir = models.CharField(_("artifact directory"), max_length=500, blank=True)
    sha256 = models.CharField(_("sha256"), max_length=64, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=32, blank=True)
    feed_count = models.PositiveIntegerField(_("materialised feed rows"), default=0)
    #: courses the model knows (its item ids); published courses outside it are "new" to this version
    known_course_ids = models.JSONField(_("known courses"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("activated by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=models.Q(is_active=True), name="at_most_one_active_model_version"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.algorithm}"

    @property
    def is_servable(self) -> bool:
        """A version can be activated once its artifact is saved and its feeds are materialised."""
        return bool(self.artifact_dir and self.sha256)

    def metric(self, name: str) -> float | None:
        value = (self.metrics or {}).get(name)
        return float(value) if isinstance(value, int | float) else None

    def engagement_blend(self) -> dict | None:
        """The P(enrol | impression) blend its feeds are ranked with, or ``None`` (ranked by the model's score):
        only when the stored offline replay (``metrics["engagement"]["replay"]``) chose a positive weight that beat
        the plain score on the later feeds, and kept the engagement model and its scaling.
        ``{"weight", "model", "scale"}``."""
        replay = ((self.metrics or {}).get("engagement") or {}).get("replay") or {}
        weight, scale = replay.get("weight"), replay.get("scale") or {}
        if not (replay.get("use") is True and isinstance(weight, int | float) and weight > 0 and replay.get("model")
                and all(isinstance(scale.get(k), int | float) for k in ("base_mean", "base_std", "p_mean", "p_std"))):
            return None
        return {"weight": float(weight), "model": replay["model"], "scale": scale}


class TrainingRun(TrackedJob):
    """A request to train a model (scheduled by beat or from the staff button), run on the ``gpu`` queue."""

    TASK_NAME = "recommender.train_model"
    TIME_LIMIT_S = 1800

    algorithm = models.CharField(_("algorithm"), max_length=32, blank=True,
                                 help_text=_("Leave empty for the platform's default model."))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    forced = models.BooleanField(_("activate even if worse"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("requested by"),
    )
    version = models.ForeignKey(
        ModelVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="training_runs",
        verbose_name=_("resulting version"),
    )
    fallback_note = models.CharField(_("device note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("training run")
        verbose_name_plural = _("training runs")

    def __str__(self) -> str:
        return f"training run #{self.pk} ({self.status})"


class ReasonCode(models.TextChoices):
    BECAUSE = "because", _("Because you took a similar course")
    SIMILAR_NEW = "similar_new", _("New, similar to a course you took")
    POPULAR_IN = "popular_in", _("Popular in a category")
    POPULAR = "popular", _("Popular on the platform")
    FOR_YOU = "for_you", _("Picked for you")


class FeedItem(models.Model):
    """One learner's materialised candidate for one model version (written by workers, read by serving)."""

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="feed_items",
                                verbose_name=_("model version"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("course"))
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))
    reason_code = models.CharField(_("reason"), max_length=16, choices=ReasonCode.choices)
    reason_arg = models.PositiveBigIntegerField(_("reason argument"), null=True, blank=True)

    class Meta:
        verbose_name = _("feed item")
        verbose_name_plural = _("feed items")
        constraints = [models.UniqueConstraint(fields=["version", "user", "rank"], name="one_feed_item_per_rank")]

    def __str__(self) -> str:
        return f"v{self.version_id} u{self.user_id} #{self.rank} c{self.course_id}"


class CourseSimilarity(models.Model):
    """Course-to-course neighbours per version: collaborative (from the model) or content (title/tags/category).

    Used for "Because you took …" reasons and for request-time re-ranking by fresh activity.
    """

    class Kind(models.TextChoices):
        COLLABORATIVE = "cf", _("Collaborative")
        CONTENT = "content", _("Content")

    version = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="similarities",
                                verbose_name=_("model version"))
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("course"))
    other = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("similar course"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    score = models.FloatField(_("score"))

    class Meta:
        verbose_name = _("course similarity")
        verbose_name_plural = _("course similarities")
        constraints = [
            models.UniqueConstraint(fields=["version", "course", "other", "kind"], name="one_similarity_per_pair")
        ]

    def __str__(self) -> str:
        return f"v{self.version_id} {self.course_id}→{self.other_id} ({self.kind} {self.score:.3f})"


class InterleavingExperiment(models.Model):
    """A team-draft interleaving test of two model versions: while it runs, learners' home feeds merge both
    versions' rankings (``recommender.interleaving``); each shown course is logged with the team that placed it,
    and a learner's later clicks, enrolments and completions of it are credited to that team (the events
    tagger). At most one runs at a time."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        STOPPED = "stopped", _("Stopped")

    version_a = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("version A"))
    version_b = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("version B"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("started by"))
    stopped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("stopped by"))

    class Meta:
        ordering = ["-id"]
        verbose_name = _("interleaving experiment")
        verbose_name_plural = _("interleaving experiments")
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=models.Q(status="running"),
                                    name="at_most_one_running_interleaving"),
            models.CheckConstraint(condition=~models.Q(version_a=models.F("version_b")),
                                   name="interleaving_two_distinct_versions"),
        ]

    def __str__(self) -> str:
        return f"interleaving #{self.pk}: v{self.version_a_id} vs v{self.version_b_id}"

    @property
    def tag(self) -> str:
        """The value written to ``Interaction.experiment`` (platform experiments use bare ids)."""
        return f"ilv-{self.pk}"
