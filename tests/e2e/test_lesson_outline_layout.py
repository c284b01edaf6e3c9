"""The lesson page's curriculum outline: every lesson title starts at the same x, whether or not it wraps or
carries a badge (a long title used to wrap below its kind label and start at the left edge)."""

import pytest
from django.utils import timezone

from courseplatform.learning.models import Lesson, LessonProgress, Section
from tests.conftest import log_in
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_lesson_titles_in_the_outline_line_up_however_long_they_are(live_server, new_page, learner, storefront):
    course = CourseFactory(storefront=storefront, title="Outline", price=0, currency="USD")
    section = Section.objects.create(course=course, title="Getting started")
    titles = ["Welcome and what you will build in the next few weeks together", "Setting up", "Practice"]
    lessons = [Lesson.objects.create(section=section, title=t, kind="text", body="<p>x</p>", position=i)
               for i, t in enumerate(titles, 1)]
    EnrollmentFactory(learner=learner, course=course, price_paid=0)
    for lesson in lessons[:2]:
        LessonProgress.objects.create(learner=learner, lesson=lesson, completed_at=timezone.now())
    page = new_page()
    log_in(page, live_server.url, learner.username)
    page.goto(f"{live_server.url}/lessons/{lessons[2].pk}/")
    lefts = [round(link.bounding_box()["x"]) for link in page.locator(".lp-outline .lp-lesson a").all()]
    assert len(lefts) == 3 and len(set(lefts)) == 1, lefts
    assert page.locator(".lp-outline .badge.pass").count() == 2
