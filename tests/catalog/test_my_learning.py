"""The "My learning" page: a learner's enrolments with progress, a link and cover each, and their review state."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.models import Review
from courseplatform.catalog.views import LEARNING_PAGE_SIZE
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db
URL = "/learning/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # active palettes and running experiments are cached per storefront
    yield
    cache.clear()


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="card">.*?</article>', html, re.S)


def test_my_learning_lives_at_learning():
    assert reverse("catalog:my_learning") == URL


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_learner_without_enrolments_is_pointed_to_the_catalogue(client, learner):
    client.force_login(learner)
    html = client.get(URL).content.decode()
    assert "You are not enrolled in any course yet." in html
    assert f'href="{reverse("catalog:home")}">Browse the catalogue</a>' in html
    assert cards(html) == []


def test_enrolments_show_progress_link_cover_and_review_state(client, learner):
    started = EnrollmentFactory(learner=learner, course=CourseFactory(title="Started"))
    done = EnrollmentFactory(learner=learner, course=CourseFactory(title="Finished"), completed_at=timezone.now())
    Review.objects.create(learner=learner, course=done.course, rating=4, text="ok")
    EnrollmentFactory(course=CourseFactory(title="Someone else's"))
    client.force_login(learner)
    html = client.get(URL).content.decode()
    found = cards(html)
    assert len(found) == 2 and "Someone else&#x27;s" not in html
    in_progress, completed = found  # courses in progress first
    assert "Started" in in_progress and "In progress" in in_progress and "Not reviewed yet" in in_progress
    assert f'href="{started.course.get_absolute_url()}#review">Rate this course</a>' in in_progress
    assert "Finished" in completed and ">Completed<" in completed and "You rated it 4★" in completed
    assert f'href="{done.course.get_absolute_url()}#review">Update your review</a>' in completed
    for card, enrollment in ((in_progress, started), (completed, done)):
        assert f'href="{enrollment.course.get_absolute_url()}"' in card
        assert reverse("themes:course_cover", args=[enrollment.course.pk]) + "?size=thumb" in card


def test_an_unpublished_course_stays_listed_without_a_link(client, learner):
    enrollment = EnrollmentFactory(learner=learner, course=CourseFactory(title="Withdrawn", published=False))
    client.force_login(learner)
    (card,) = cards(client.get(URL).content.decode())
    assert "Withdrawn" in card and "This course is no longer published." in card
    assert enrollment.course.get_absolute_url() not in card


def test_every_logged_in_role_can_open_it(client, creator, staff):
    for user in (creator, staff):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_the_header_links_to_my_learning_for_logged_in_users_only(client, learner):
    link = f'<a href="{URL}">My learning</a>'
    assert link not in client.get(reverse("catalog:home")).content.decode()
    client.force_login(learner)
    assert link in client.get(reverse("catalog:home")).content.decode()


def test_the_chinese_page_renders(client, learner):
    EnrollmentFactory(learner=learner)
    client.force_login(learner)
    response = client.get("/zh-hans" + URL)
    assert response.status_code == 200 and len(cards(response.content.decode())) == 1


def _enrol_in_new_storefronts(learner, n: int) -> None:
    for _ in range(n):  # each course in its own storefront: the costliest cards (a palette lookup each)
        enrollment = EnrollmentFactory(learner=learner)
        Review.objects.create(learner=learner, course=enrollment.course, rating=5)


def test_the_page_needs_a_bounded_number_of_queries(client, learner, django_assert_max_num_queries):
    client.force_login(learner)
    _enrol_in_new_storefronts(learner, LEARNING_PAGE_SIZE + 6)  # more than a page
    client.get(URL)  # warm the caches
    # session, user, count, the page of enrolments (reviews included), the page's curriculum lessons (learning),
    # the header's unread notifications, then per card at most its storefront's active palette and running experiment
    with django_assert_max_num_queries(6 + 2 * LEARNING_PAGE_SIZE):
        response = client.get(URL)
    assert len(cards(response.content.decode())) == LEARNING_PAGE_SIZE
    second = client.get(URL, {"page": 2}).content.decode()
    assert len(cards(second)) == 6 and "Page 2 of 2" in second


def test_the_query_count_does_not_grow_with_the_number_of_enrolments(client, learner):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(learner)

    def count() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    _enrol_in_new_storefronts(learner, LEARNING_PAGE_SIZE)
    full_page = count()
    _enrol_in_new_storefronts(learner, 20)
    assert count() == full_page
