"""Background jobs whose database row, not the broker, is the source of truth.

``TrackedJob`` is abstract: palette jobs, training runs and cover batches subclass it. The sweeper
(``services.sweep_jobs``) re-dispatches rows left queued too long (a Redis without persistence
loses its queue on restart) and fails rows stuck running past their time limit, with a reason.
"""

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


class TrackedJob(models.Model):
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    progress = models.FloatField(_("progress"), default=0.0)
    reason = models.TextField(_("reason"), blank=True)
    device = models.CharField(_("device"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    #: dotted Celery task name that runs this job with the row id as its only argument
    TASK_NAME: ClassVar[str] = ""
    #: seconds after which a running job without a heartbeat is failed by the sweeper
    TIME_LIMIT_S: ClassVar[int] = 600

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        return round(100 * self.progress)

    progress_percent.fget.short_description = _("progress (%)")  # its column heading in the admin


class WorkerHeartbeat(models.Model):
    """Last time a worker consuming ``queue`` ran the heartbeat task (shown by /healthz)."""

    queue = models.CharField(_("queue"), max_length=32, unique=True)
    hostname = models.CharField(_("host name"), max_length=200)
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.queue}@{self.hostname}"
