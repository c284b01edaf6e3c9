"""The interaction log. The table keeps the name it had when the recommender owned the model."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    IMPRESSION = "impression", _("Impression")
    CLICK = "click", _("Click")
    VIEW = "view", _("View")
    WISHLIST = "wishlist", _("Wishlist")
    ENROLL = "enroll", _("Enrol")
    COMPLETE = "complete", _("Complete")
    RATE = "rate", _("Rate")


#: what ``POST /api/events`` accepts: what a browser can see happen. Outcomes (enrolments, completions, ratings,
#: wishlist saves, purchases, lesson progress) are logged only by the services that create them
#: (``services.record_server_event``), so a client cannot claim one (issue 22, item 2).
CLIENT_EVENT_TYPES = (EventType.VIEW, EventType.CLICK, EventType.IMPRESSION)


class Interaction(models.Model):
    """One learner event. ``event_id`` makes ingestion idempotent: a retried batch stores nothing twice.

    ``experiment`` / ``variant`` are written by the server only, from the registered taggers (``taggers.py``).
    """

    # Every index costs each ingested event a B-tree insert (bench/load.py): the foreign keys are covered by
    # the composite indexes in Meta (their leading column), and nothing looks events up by session.
    event_id = models.UUIDField(_("event id"), unique=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="interactions",
        verbose_name=_("user"), db_index=False,
    )
    session_key = models.CharField(_("session key"), max_length=64, blank=True)
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="interactions",
                               verbose_name=_("course"), db_index=False)
    type = models.CharField(_("event type"), max_length=16, choices=EventType.choices)
    ts = models.DateTimeField(_("time"), db_index=True)
    value = models.FloatField(_("value"), null=True, blank=True)
    surface = models.CharField(_("surface"), max_length=32, blank=True)
    position = models.PositiveIntegerField(_("position"), null=True, blank=True)
    experiment = models.CharField(_("experiment"), max_length=64, blank=True)
    variant = models.CharField(_("variant"), max_length=64, blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        db_table = "recommender_interaction"  # created by the recommender's migrations before the move
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["user", "ts"], name="recommender_user_id_1f463f_idx"),
                   models.Index(fields=["course", "type"], name="recommender_course__d06dd5_idx")]

    def __str__(self) -> str:
        return f"{self.type} {self.course_id} by {self.user_id or self.session_key}"
