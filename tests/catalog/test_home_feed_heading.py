"""The list above the catalogue says what it is (issue 19 item 6): anonymous visitors get a popularity list and it is
called "Popular courses"; "Recommended for you" is for people who are logged in."""

import pytest

from tests.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(storefront):
    return [CourseFactory(storefront=storefront) for _ in range(3)]


def feed_heading(html: str) -> str:
    start = html.index('id="feed-title">') + len('id="feed-title">')
    return html[start:html.index("</h2>", start)]


def test_anonymous_visitors_see_popular_courses_not_recommendations(client, catalogue):
    assert feed_heading(client.get("/").content.decode()) == "Popular courses"
    assert feed_heading(client.get("/zh-hans/").content.decode()) == "热门课程"


def test_logged_in_learners_see_recommended_for_you(client, catalogue, learner):
    client.force_login(learner)
    assert feed_heading(client.get("/").content.decode()) == "Recommended for you"
