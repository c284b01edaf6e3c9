"""Which courses have fewer than N logged engagements (impressions do not count): the recommender's "new courses"
without a trained model. Counted up to N per course, on either database (and across monthly partitions)."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from courseplatform.catalog.models import Course
from courseplatform.events.models import Interaction
from courseplatform.events.selectors import with_few_engagements
from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


def _log(course, type: str, n: int, days_ago: float = 0) -> None:
    Interaction.objects.bulk_create([
        Interaction(event_id=uuid.uuid4(), course=course, session_key="s", type=type,
                    ts=timezone.now() - dt.timedelta(days=days_ago)) for _ in range(n)])


def test_courses_under_the_bar_are_kept_whatever_their_impressions():
    untouched, seen_only, two, three, spread = (CourseFactory() for _ in range(5))
    _log(seen_only, "impression", 40)
    _log(two, "click", 1)
    _log(two, "enroll", 1)
    _log(two, "impression", 10)
    _log(three, "view", 3)
    _log(spread, "click", 2, days_ago=45)  # two months: two partitions on PostgreSQL
    _log(spread, "view", 1)

    courses = Course.objects.filter(pk__in=[c.pk for c in (untouched, seen_only, two, three, spread)])
    kept = set(with_few_engagements(courses, 3).values_list("pk", flat=True))

    assert kept == {untouched.pk, seen_only.pk, two.pk}


def test_a_bar_of_one_keeps_only_courses_never_engaged_with():
    none, one = CourseFactory(), CourseFactory()
    _log(one, "rate", 1)

    courses = Course.objects.filter(pk__in=[none.pk, one.pk])
    assert list(with_few_engagements(courses, 1).values_list("pk", flat=True)) == [none.pk]
