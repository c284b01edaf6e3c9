"""Elements marked `hidden` stay hidden in Chromium even where a layout rule gives their kind a display value
(`form.stacked p { display: flex }` once showed a lesson editor's empty "Upload" progress bar on every lesson)."""

import pytest

from courseplatform.learning.models import Lesson, Section
from tests.e2e.accessibility import axe_context, log_in
from tests.factories import CourseFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_hidden_parts_of_the_lesson_editor_are_not_shown(live_server, browser, creator, storefront):
    course = CourseFactory(storefront=storefront, price=0, title="Hidden parts")
    section = Section.objects.create(course=course, title="Basics", position=1)
    quiz = Lesson.objects.create(section=section, title="Quiz", kind="quiz", position=1)
    context = axe_context(browser)
    page = context.new_page()
    log_in(page, live_server.url, creator.username)
    for url in (f"/studio/lessons/{quiz.pk}/", f"/studio/sections/{section.pk}/lessons/new/?kind=video"):
        page.goto(f"{live_server.url}{url}")
        row = page.locator("#upload-row")
        assert row.count() == 1, url
        # the row only appears once the page's script starts an upload
        assert not row.is_visible(), url
        assert page.locator("#upload-progress").bounding_box() is None, url
    context.close()
