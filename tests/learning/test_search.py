"""Section and lesson titles are searchable, and follow the creator's edits once they commit."""

import pytest
from django.urls import reverse

from courseplatform.search import selectors

pytestmark = pytest.mark.django_db


def _found(q: str) -> set[str]:
    return {c.title for c in selectors.search({"q": q, "page": 1}).courses}


def test_a_new_lesson_title_finds_its_course(client, creator, course, django_capture_on_commit_callbacks):
    client.force_login(creator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("learning:studio_curriculum", args=[course.pk]), {"title": "Week one"})
    section = course.sections.get()
    assert _found("zeppelins") == set()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learning:studio_lesson_new", args=[section.pk]) + "?kind=text",
                               {"title": "Zeppelins explained", "body": "<p>x</p>", "required": "on"})
    assert response.status_code == 302
    assert _found("zeppelins") == {course.title}
