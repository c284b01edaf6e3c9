"""Engagement's periodic work: remind participants of challenges about to end."""

from celery import shared_task

from . import nudges, reminders


@shared_task(name="engagement.challenge_reminders", ignore_result=True)
def challenge_reminders() -> int:
    return reminders.challenge_reminders_send()


@shared_task(name="engagement.nudges", ignore_result=True)
def nudges_send() -> int:
    return nudges.nudges_send()
