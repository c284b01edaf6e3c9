"""Challenge reminders through the notifications app (``notify``, kind ``challenge_reminder``): each open
participation of a challenge ending within ``ENGAGEMENT_REMINDER_HOURS`` is reminded once (notify's key makes a
repeated run, or a redelivered task, send nothing twice)."""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from courseplatform.notifications.kinds import CHALLENGE_REMINDER
from courseplatform.notifications.services import notify

from .models import ChallengeParticipant


def due_reminders(now=None):
    """Open participations of challenges that end within the reminder window (a read)."""
    now = now or timezone.now()
    window = timedelta(hours=getattr(settings, "ENGAGEMENT_REMINDER_HOURS", 48))
    return (ChallengeParticipant.objects.filter(completed_at__isnull=True, challenge__ends_at__gt=now,
                                                challenge__ends_at__lte=now + window)
            .select_related("learner", "challenge"))


def challenge_reminders_send(now=None) -> int:
    """Remind every due participant once; returns how many notifications exist for this run's participants."""
    sent = 0
    for participant in due_reminders(now).iterator():
        challenge = participant.challenge
        notification = notify(
            participant.learner, CHALLENGE_REMINDER, key=f"challenge:{challenge.pk}:ending",
            params={"challenge": challenge.title, "ends": timezone.localtime(challenge.ends_at).strftime(
                "%Y-%m-%d %H:%M"), "progress": participant.progress, "goal": challenge.goal_size},
            url=reverse("engagement:challenge", args=[challenge.pk]))
        sent += notification is not None
    return sent
