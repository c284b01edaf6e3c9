"""Core signals (sent once the transaction commits) feed the points ledger and challenge progress. Each
receiver is idempotent: points are keyed by their source, progress is recomputed from the server's records."""

from django.db.models import F
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete
from django.dispatch import receiver

from courseplatform.hooks.signals import course_completed, course_reviewed, lesson_completed, quiz_passed

from . import points, services
from .models import Challenge, ChallengeParticipant, PointsReason


@receiver(lesson_completed, dispatch_uid="engagement.lesson_completed")
def on_lesson_completed(sender, *, learner, lesson, **kwargs) -> None:
    points.points_award(learner_id=learner.pk, reason=PointsReason.LESSON, source=f"lesson:{lesson.pk}")
    services.challenges_refresh_for(learner_id=learner.pk, storefront_id=lesson.section.course.storefront_id)


@receiver(quiz_passed, dispatch_uid="engagement.quiz_passed")
def on_quiz_passed(sender, *, learner, lesson, **kwargs) -> None:
    points.points_award(learner_id=learner.pk, reason=PointsReason.QUIZ, source=f"quiz:{lesson.pk}")


@receiver(course_reviewed, dispatch_uid="engagement.course_reviewed")
def on_course_reviewed(sender, *, learner, course, created: bool = False, **kwargs) -> None:
    # keyed by course: editing a review, or deleting and writing it again, earns nothing more
    points.points_award(learner_id=learner.pk, reason=PointsReason.REVIEW, source=f"review:{course.pk}")


@receiver(course_completed, dispatch_uid="engagement.course_completed")
def on_course_completed(sender, *, learner, course, **kwargs) -> None:
    services.challenges_refresh_for(learner_id=learner.pk, storefront_id=course.storefront_id)


@receiver(post_delete, sender=ChallengeParticipant, dispatch_uid="engagement.participant_deleted")
def on_participant_deleted(sender, instance, **kwargs) -> None:
    # a participation gone with its account frees its place (``participant_count`` gates joins)
    Challenge.objects.filter(pk=instance.challenge_id).update(
        participant_count=Greatest(F("participant_count") - 1, 0))
