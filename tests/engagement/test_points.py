"""The points ledger: fed by the core's signals, capped per day, keyed by source, append-only."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone

from courseplatform.catalog.services import course_complete, review_submit
from courseplatform.engagement import points
from courseplatform.engagement.models import PointsAccount, PointsEntry, PointsReason
from courseplatform.learning.services import lesson_complete

pytestmark = pytest.mark.django_db


def _balance(user) -> int:
    return PointsAccount.objects.get(learner=user).balance


def test_a_completed_lesson_earns_points_once_even_when_the_signal_is_redelivered(
        enrolled, lessons, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(learner=enrolled, lesson=lessons[0])
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(learner=enrolled, lesson=lessons[0])  # marked again: no second signal, no points
    again = points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source=f"lesson:{lessons[0].pk}")
    assert again.entry is None
    assert _balance(enrolled) == 10
    assert PointsEntry.objects.filter(learner=enrolled).count() == 1


@override_settings(ENGAGEMENT_POINTS={PointsReason.LESSON: (10, 30)})
def test_lesson_points_stop_at_the_daily_cap_and_resume_the_next_day(enrolled, lessons):
    awards = [points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source=f"lesson:{lesson.pk}")
              for lesson in lessons[:5]]
    assert [a.entry.amount if a.entry else 0 for a in awards] == [10, 10, 10, 0, 0]
    assert [a.capped for a in awards] == [False, False, False, True, True]
    assert _balance(enrolled) == 30
    tomorrow = timezone.now() + timedelta(days=1)
    later = points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source=f"lesson:{lessons[5].pk}",
                                now=tomorrow)
    assert later.entry.amount == 10 and _balance(enrolled) == 40


@override_settings(ENGAGEMENT_POINTS={PointsReason.QUIZ: (20, 30)})
def test_an_award_is_cut_to_what_is_left_under_the_cap(enrolled):
    first = points.points_award(learner_id=enrolled.pk, reason=PointsReason.QUIZ, source="quiz:1")
    second = points.points_award(learner_id=enrolled.pk, reason=PointsReason.QUIZ, source="quiz:2")
    assert (first.entry.amount, second.entry.amount, second.capped) == (20, 10, True)


def test_caps_are_per_reason(enrolled):
    for i in range(12):
        points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source=f"lesson:{i}")
    review = points.points_award(learner_id=enrolled.pk, reason=PointsReason.REVIEW, source="review:1")
    assert review.entry is not None
    assert _balance(enrolled) == 100 + 15


def test_a_review_earns_points_once_per_course_however_often_it_is_edited(
        enrolled, free_course, django_capture_on_commit_callbacks):
    for rating in (5, 3, 4):
        with django_capture_on_commit_callbacks(execute=True):
            review_submit(learner=enrolled, course=free_course, rating=rating, text="Good")
    assert list(PointsEntry.objects.filter(learner=enrolled).values_list("reason", "amount")) == [("review", 15)]


def test_the_ledger_is_append_only(enrolled):
    entry = points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source="lesson:1").entry
    entry.amount = 1000
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    assert PointsEntry.objects.get(pk=entry.pk).amount == 10


def test_spending_more_than_the_balance_is_refused_and_writes_nothing(enrolled):
    points.points_award(learner_id=enrolled.pk, reason=PointsReason.LESSON, source="lesson:1")
    with pytest.raises(points.NotEnoughPoints):
        points.points_spend(learner_id=enrolled.pk, amount=11, source="x")
    assert _balance(enrolled) == 10 and PointsEntry.objects.filter(learner=enrolled).count() == 1


def test_completing_a_course_alone_earns_nothing_but_feeds_challenges(enrolled, free_course,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        course_complete(learner=enrolled, course=free_course)
    assert not PointsEntry.objects.filter(learner=enrolled).exists()


def test_challenge_points_are_capped_per_day_so_a_creator_cannot_mint_currency(learner):
    from courseplatform.engagement.models import PointsReason
    from courseplatform.engagement.points import points_award

    awards = [points_award(learner_id=learner.pk, reason=PointsReason.CHALLENGE, source=f"challenge:{n}",
                           amount=10_000) for n in range(3)]
    assert [a.entry.amount if a.entry else 0 for a in awards] == [500, 0, 0]
    assert all(a.capped for a in awards)
