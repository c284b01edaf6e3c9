"""Serving: owned/unpublished exclusion, cold start, new courses, diversity, reasons, fresh re-ranking,
cache invalidation, impressions, and the feed API."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from recommender import cache as keys
from recommender import selectors
from recommender.models import CourseSimilarity, FeedItem
from tests.factories import CategoryFactory, CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory
from tests.recommender.factories import InteractionFactory, ModelVersionFactory, catalogue

pytestmark = pytest.mark.django_db


def materialise(version, user, courses, reason="for_you", arg=None):
    for rank, course in enumerate(courses, start=1):
        FeedItem.objects.create(version=version, user=user, course=course, rank=rank, score=1.0 / rank,
                                reason_code=reason, reason_arg=arg)


def ids(feed):
    return [item["course"].pk for item in feed]


@pytest.fixture
def version():
    return ModelVersionFactory(is_active=True, algorithm="ease")


def test_feed_excludes_owned_and_unpublished_courses(version):
    _cats, courses = catalogue()
    learner = UserFactory()
    hidden = CourseFactory(published=False)
    EnrollmentFactory(learner=learner, course=courses[0])
    materialise(version, learner, [courses[0], hidden, *courses[1:6]])
    feed = selectors.feed_for_user(learner, 5)
    assert len(feed) == 5
    assert courses[0].pk not in ids(feed) and hidden.pk not in ids(feed)
    # a course the learner sells is never recommended to them either
    creator_store = StorefrontFactory(owner=learner)
    own = CourseFactory(storefront=creator_store)
    cache.clear()
    assert own.pk not in ids(selectors.feed_for_user(learner, 20))


def test_a_new_learner_sees_popular_courses_in_the_interests_they_picked(version):
    cats, courses = catalogue()
    for n, course in enumerate(courses):  # courses of Topic 0 are the most popular overall
        for _ in range(6 if course.category == cats[0] else n % 3):
            EnrollmentFactory(course=course)
    learner = UserFactory()
    learner.interests.set([cats[2]])
    feed = selectors.feed_for_user(learner, 4)
    assert {item["course"].category_id for item in feed[:2]} == {cats[2].pk}
    assert feed[0]["reason"] == f"Popular in {cats[2].name}"
    assert feed[0]["reason_code"] == "popular_in"


def test_anonymous_visitors_see_popular_courses():
    _cats, courses = catalogue()
    for _ in range(5):
        EnrollmentFactory(course=courses[7])
    EnrollmentFactory(course=courses[3])
    feed = selectors.feed_for_user(None, 6)
    assert ids(feed)[:2] == [courses[7].pk, courses[3].pk]
    assert all(item["reason"] == "Popular on the platform" for item in feed)


def test_a_new_course_is_surfaced_through_content_similarity(version):
    cats, courses = catalogue()
    learner = UserFactory()
    python = CourseFactory(title="Python for data analysis", tags=["python", "pandas"], category=cats[1])
    EnrollmentFactory(learner=learner, course=python)
    materialise(version, learner, courses[:8])
    for course in courses:  # every catalogue course has history, so only the new one is "new"
        for _ in range(3):
            InteractionFactory(course=course, type="click")
    for _ in range(3):
        InteractionFactory(course=python, type="click")
    new = CourseFactory(title="Advanced Python: pandas in practice", tags=["python", "pandas"], category=cats[1])
    unrelated = CourseFactory(title="Watercolour basics", tags=["painting"], category=cats[2])
    feed = selectors.feed_for_user(learner, 8)
    assert new.pk in ids(feed) and unrelated.pk not in ids(feed)
    item = next(i for i in feed if i["course"].pk == new.pk)
    assert item["reason_code"] == "similar_new" and "Python for data analysis" in item["reason"]


def test_no_more_than_two_in_a_row_from_one_category_or_storefront(version):
    cats = [CategoryFactory() for _ in range(3)]
    shops = [StorefrontFactory() for _ in range(3)]
    # the model's order: five courses of one category and shop first
    same = [CourseFactory(category=cats[0], storefront=shops[0]) for _ in range(5)]
    other = [CourseFactory(category=cats[k % 2 + 1], storefront=shops[k % 2 + 1]) for k in range(4)]
    learner = UserFactory()
    materialise(version, learner, same + other)
    feed = selectors.feed_for_user(learner, 9)
    for key in ("category_id", "storefront_id"):
        values = [getattr(item["course"], key) for item in feed]
        assert all(not (values[k] == values[k + 1] == values[k + 2]) for k in range(len(values) - 2)), values
    assert ids(feed)[:2] == [same[0].pk, same[1].pk]  # the best stay first


def test_diversify_takes_the_best_anyway_when_nothing_else_is_left():
    items = [("a", 1), ("a", 2), ("a", 3), ("b", 4)]
    out = selectors.diversify(items, limit=4, keys_of=lambda x: [x[0]])
    assert out == [("a", 1), ("a", 2), ("b", 4), ("a", 3)]


def test_every_item_has_a_reason_naming_the_course_it_comes_from(version):
    _cats, courses = catalogue()
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=courses[0])
    materialise(version, learner, courses[1:5], reason="because", arg=courses[0].pk)
    feed = selectors.feed_for_user(learner, 4)
    assert feed[0]["reason"] == f"Because you took “{courses[0].title}”"
    assert all(item["reason"] for item in feed)


def test_reasons_are_translated(version):
    from django.utils import translation

    cats, courses = catalogue()
    cats[0].name_zh = "数据科学"
    cats[0].save()
    learner = UserFactory()
    learner.interests.set([cats[0]])
    with translation.override("zh-hans"):
        feed = selectors.feed_for_user(learner, 2)
    assert "数据科学" in feed[0]["reason"]


def test_fresh_clicks_re_rank_the_materialised_candidates(version):
    _cats, courses = catalogue()
    learner = UserFactory()
    materialise(version, learner, courses[:8])
    before = ids(selectors.feed_for_user(learner, 8))
    clicked, neighbour = courses[9], courses[7]
    CourseSimilarity.objects.create(version=version, course=clicked, other=neighbour, kind="cf", score=0.9)
    Interaction.objects.create(user=learner, course=clicked, type="click", ts=timezone.now() + timedelta(seconds=1),
                               surface="home")
    cache.delete(keys.feed_key(learner.pk))  # what the event API does on a click
    feed = selectors.feed_for_user(learner, 8)
    assert ids(feed).index(neighbour.pk) < before.index(neighbour.pk)
    item = next(i for i in feed if i["course"].pk == neighbour.pk)
    assert item["reason"] == f"Because you looked at “{clicked.title}”"


def test_enrolling_drops_the_learners_cached_feed(version, django_capture_on_commit_callbacks):
    from courseplatform.catalog.services import enroll

    _cats, courses = catalogue()
    learner = UserFactory()
    materialise(version, learner, courses[:6])
    first = ids(selectors.feed_for_user(learner, 6))
    assert cache.get(keys.feed_key(learner.pk)) is not None
    courses[0].price = 0  # free: enrolled without an order
    courses[0].save(update_fields=["price"])
    with django_capture_on_commit_callbacks(execute=True):
        enroll(learner=learner, course=courses[0])
    assert cache.get(keys.feed_key(learner.pk)) is None
    assert courses[0].pk in first and courses[0].pk not in ids(selectors.feed_for_user(learner, 6))


def test_the_api_returns_the_feed_and_logs_impressions_with_positions(version):
    _cats, courses = catalogue()
    learner = UserFactory()
    materialise(version, learner, courses[:6])
    client = Client()
    client.force_login(learner)
    response = client.get("/api/feed?limit=3")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == version.pk and len(body["items"]) == 3
    assert [i["position"] for i in body["items"]] == [1, 2, 3]
    assert body["items"][0]["course"]["url"] == courses[0].get_absolute_url() and body["items"][0]["reason"]
    shown = list(Interaction.objects.filter(user=learner, type="impression").order_by("position")
                 .values_list("course_id", "position", "surface"))
    assert shown == [(i["course"]["id"], i["position"], "api") for i in body["items"]]


@pytest.mark.parametrize("limit", ["0", "51", "x", "-1"])
def test_the_feed_limit_is_validated(client, limit):
    response = client.get(f"/api/feed?limit={limit}")
    assert response.status_code == 400 and "limit" in response.json()["detail"]


def test_the_home_page_shows_the_feed_and_logs_home_impressions(version):
    _cats, courses = catalogue()
    learner = UserFactory()
    materialise(version, learner, courses[:8], reason="because", arg=courses[10].pk)
    EnrollmentFactory(learner=learner, course=courses[10])
    client = Client()
    client.force_login(learner)
    response = client.get("/")
    assert response.status_code == 200
    assert "Because you took" in response.content.decode()
    assert Interaction.objects.filter(user=learner, type="impression", surface="home", position=1).exists()


def test_a_course_the_active_model_does_not_know_is_new(version):
    _cats, courses = catalogue()
    version.known_course_ids = [c.pk for c in courses]
    version.save(update_fields=["known_course_ids"])
    fresh = CourseFactory(title="Brand new")
    assert selectors.new_course_ids(version.pk) == [fresh.pk]


def test_the_api_feed_gives_its_reasons_in_the_language_of_accept_language():
    _cats, courses = catalogue()
    EnrollmentFactory(course=courses[0])
    body = Client().get("/api/feed?limit=3", HTTP_ACCEPT_LANGUAGE="zh-Hans").json()
    assert body["items"] and {item["reason"] for item in body["items"]} == {"全站热门"}
    english = Client().get("/api/feed?limit=3").json()
    assert {item["reason"] for item in english["items"]} == {"Popular on the platform"}
