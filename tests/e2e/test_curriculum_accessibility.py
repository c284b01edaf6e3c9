"""axe-core over the curriculum's pages (learner and creator sides) in headless Chromium: no serious or critical
violation."""

import datetime

import pytest
from django.core.files.base import ContentFile

from courseplatform.catalog.services import enroll
from courseplatform.learning.models import Choice, Lesson, Question, Section
from courseplatform.learning.services import certificate_issue
from tests.e2e.accessibility import BLOCKING, axe_context, log_in, run_axe
from tests.factories import CourseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 512


def test_curriculum_pages_have_no_serious_or_critical_axe_violation(live_server, browser, creator, learner,
                                                                     storefront, tmp_path, settings):
    settings.LEARNING_MEDIA_ROOT = tmp_path / "private"
    course = CourseFactory(storefront=storefront, price=0, title="Accessible course")
    one = Section.objects.create(course=course, title="Basics", position=1)
    two = Section.objects.create(course=course, title="Later", position=2)
    text = Lesson.objects.create(section=one, title="Read", body="<p>Hello</p>", is_preview=True)
    video = Lesson(section=one, title="Watch", kind="video", position=2, duration_s=10)
    video.video.save("v.mp4", ContentFile(MP4), save=False)
    video.captions.save("v.vtt", ContentFile(b"WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n"), save=False)
    video.save()
    quiz = Lesson.objects.create(section=two, title="Quiz", kind="quiz", position=1)
    question = Question.objects.create(lesson=quiz, text="Sky?", multiple=True)
    Choice.objects.create(question=question, text="Blue", correct=True)
    Choice.objects.create(question=question, text="Green")
    locked = Lesson.objects.create(section=two, title="Later on", position=2,
                                   drip_date=datetime.date.today() + datetime.timedelta(days=5))
    enroll(learner=learner, course=course)
    certificate = certificate_issue(learner=learner, course=course)
    base = live_server.url
    pages = {
        learner: [course.get_absolute_url(), f"/lessons/{text.pk}/", f"/lessons/{video.pk}/",
                  f"/lessons/{quiz.pk}/", f"/lessons/{locked.pk}/", "/learning/",
                  f"/certificates/{certificate.uuid}/"],
        creator: [f"/studio/courses/{course.pk}/curriculum/", f"/studio/lessons/{video.pk}/",
                  f"/studio/lessons/{quiz.pk}/", f"/studio/sections/{one.pk}/lessons/new/?kind=attachment"],
    }
    failures = []
    for user, urls in pages.items():
        context = axe_context(browser)
        page = context.new_page()
        log_in(page, base, user.username)
        for url in urls:
            page.goto(f"{base}{url}")
            assert "/accounts/login" not in page.url and page.locator("main h1").count() >= 1, url
            blocking = [v for v in run_axe(page) if v["impact"] in BLOCKING]
            failures += [f"{url}: {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}" for v in blocking]
        context.close()
    assert not failures, "\n".join(failures)
