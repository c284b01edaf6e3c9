"""Interaction log, trained model versions and materialised feeds."""

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


class Interaction(models.Model):
    """One learner event. ``event_id`` makes ingestion idempotent: a retried batch stores nothing twice."""

    event_id = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="interactions"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    course = models.ForeignKey("catalog.Course", on_delete=models.CASCADE, related_name="interactions")
    type = models.CharField(max_length=16, choices=EventType.choices)
    ts = models.DateTimeField(db_index=True)
    value = models.FloatField(null=True, blank=True)
    surface = models.CharField(max_length=32, blank=True)
    position = models.PositiveIntegerField(null=True, blank=True)
    experiment = models.CharField(max_length=64, blank=True)
    variant = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["user", "ts"]), models.Index(fields=["course", "type"])]

    def __str__(self) -> str:
        return f"{self.type} {self.course_id} by {self.user_id or self.session_key}"
