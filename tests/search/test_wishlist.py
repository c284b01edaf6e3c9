"""Wishlist: a POST form on cards and course pages (works without JavaScript, CSRF-checked), the wishlist page,
``wishlist`` events in the interaction log."""

import pytest
from django.test import Client

from courseplatform.events.models import Interaction
from courseplatform.search import services
from courseplatform.search.models import SavedCourse
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _csrf_client(user) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    page = client.get("/wishlist/")
    return client, page.cookies["csrftoken"].value


def test_save_without_javascript_then_find_it_on_the_wishlist_page():
    learner, course = UserFactory(), CourseFactory(title="Rust in Action")
    client, token = _csrf_client(learner)
    response = client.post(f"/wishlist/{course.pk}/", {"action": "add", "next": "/search/?q=rust",
                                                       "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == "/search/?q=rust"
    page = client.get("/wishlist/").content.decode()
    assert "Rust in Action" in page and "Saved" in page
    event = Interaction.objects.get(type="wishlist")
    assert (event.user, event.course) == (learner, course)


def test_saving_twice_keeps_one_entry_and_one_event():
    learner, course = UserFactory(), CourseFactory()
    client, token = _csrf_client(learner)
    for _ in range(2):
        client.post(f"/wishlist/{course.pk}/", {"action": "add", "csrfmiddlewaretoken": token})
    assert SavedCourse.objects.count() == 1 and Interaction.objects.filter(type="wishlist").count() == 1


def test_remove_takes_it_off_the_wishlist():
    learner, course = UserFactory(), CourseFactory(title="Gone Soon")
    SavedCourse.objects.create(user=learner, course=course)
    client, token = _csrf_client(learner)
    response = client.post(f"/wishlist/{course.pk}/", {"action": "remove", "csrfmiddlewaretoken": token})
    assert response["Location"] == course.get_absolute_url()
    assert not SavedCourse.objects.exists() and "Gone Soon" not in client.get("/wishlist/").content.decode()


def test_post_without_csrf_token_is_refused():
    learner, course = UserFactory(), CourseFactory()
    client, _token = _csrf_client(learner)
    assert client.post(f"/wishlist/{course.pk}/", {"action": "add"}).status_code == 403
    assert not SavedCourse.objects.exists()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_next_is_only_followed_to_this_site(client, target):
    learner, course = UserFactory(), CourseFactory()
    client.force_login(learner)
    response = client.post(f"/wishlist/{course.pk}/", {"action": "add", "next": target})
    assert response["Location"] == course.get_absolute_url()


def test_unknown_action_is_a_400_and_unpublished_or_missing_courses_404(client):
    client.force_login(UserFactory())
    course = CourseFactory()
    assert client.post(f"/wishlist/{course.pk}/", {"action": "explode"}).status_code == 400
    assert client.post(f"/wishlist/{CourseFactory(published=False).pk}/", {"action": "add"}).status_code == 404
    assert client.post("/wishlist/99999999999999999999/", {"action": "add"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client):
    course = CourseFactory()
    assert client.post(f"/wishlist/{course.pk}/", {"action": "add"})["Location"].startswith("/accounts/login/")
    assert client.get("/wishlist/")["Location"].startswith("/accounts/login/")


def test_cards_show_the_saved_state_and_the_course_page_has_the_button(client):
    learner = UserFactory()
    saved, other = CourseFactory(title="Kept Course"), CourseFactory(title="Other Course")
    SavedCourse.objects.create(user=learner, course=saved)
    services.index_courses([saved.pk, other.pk])
    client.force_login(learner)
    html = client.get("/search/").content.decode()
    assert html.count('value="remove"') == 1 and html.count('value="add"') == 1
    page = client.get(other.get_absolute_url()).content.decode()
    assert f'action="/wishlist/{other.pk}/"' in page


def test_a_learners_wishlist_is_their_own(client):
    owner, course = UserFactory(), CourseFactory(title="Private Pick")
    SavedCourse.objects.create(user=owner, course=course)
    client.force_login(UserFactory())
    assert "Private Pick" not in client.get("/wishlist/").content.decode()
