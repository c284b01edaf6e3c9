"""Writes for the recommender: server-side interaction logging."""

from django.utils import timezone

from .models import Interaction


def record_server_event(*, user, course, event_type: str, surface: str = "", value: float | None = None) -> None:
    """Log an event that happened on the site itself (enrolments, completions, ratings)."""
    Interaction.objects.create(
        user=user, course=course, type=event_type, ts=timezone.now(), value=value, surface=surface
    )
