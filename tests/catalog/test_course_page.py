"""The course page: "You may also like" recommendations, localised prices, a bounded number of queries."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from courseplatform.catalog.templatetags.catalog_tags import price
from recommender.models import CourseSimilarity
from tests.factories import CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()  # the recommender caches the active version and the popularity table
    yield
    cache.clear()


def also_like_titles(html: str) -> list[str]:
    """Course titles in the "You may also like" section, in order ([] when the section is absent)."""
    match = re.search(r'<section class="also-like".*?</section>', html, re.S)
    return re.findall(r'<h3 lang="[^"]*"><a href="[^"]*">([^<]*)</a></h3>', match.group(0)) if match else []


def page(client, course, prefix: str = "") -> str:
    response = client.get(prefix + course.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_also_like_lists_the_active_models_neighbours_collaborative_first_by_score(client, course):
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    content_best = CourseFactory(title="Content neighbour")
    cf_low, cf_high = CourseFactory(title="CF low"), CourseFactory(title="CF high")
    hidden = CourseFactory(title="Unpublished neighbour", published=False)
    for other, kind, score in [(content_best, "content", 0.95), (cf_low, "cf", 0.4), (cf_high, "cf", 0.8),
                               (hidden, "cf", 0.99)]:
        CourseSimilarity.objects.create(version=version, course=course, other=other, kind=kind, score=score)
    CourseSimilarity.objects.create(version=version, course=cf_high, other=course, kind="cf", score=0.9)

    html = page(client, course)
    assert also_like_titles(html) == ["CF high", "CF low", "Content neighbour"]
    assert "You may also like" in html
    assert "Learners who took this course also took it" in html and "Similar to this course" in html


def test_without_a_model_also_like_falls_back_to_popular_courses_in_the_storefront_then_the_category(
        client, storefront, course):
    same_shop_same_category = CourseFactory(storefront=storefront, category=course.category, title="Shop+cat")
    same_shop = CourseFactory(storefront=storefront, title="Shop popular")
    same_shop_quiet = CourseFactory(storefront=storefront, title="Shop quiet")
    same_category = CourseFactory(category=course.category, title="Category popular")
    bestseller = CourseFactory(title="Unrelated bestseller")  # neither this storefront nor this category
    CourseFactory(storefront=storefront, title="Shop draft", published=False)
    for target, n in [(same_shop, 2), (same_category, 5)]:
        for _ in range(n):
            EnrollmentFactory(course=target)
    EnrollmentFactory.create_batch(9, course=bestseller)
    assert same_shop_quiet.pk and same_shop_same_category.pk

    html = page(client, course)
    assert also_like_titles(html) == ["Shop+cat", "Shop popular", "Shop quiet", "Category popular"]
    assert f"More from {storefront.name}" in html and f"Popular in {course.category}" in html


def test_model_neighbours_are_topped_up_from_the_fallback_without_repeats(client, storefront, course):
    version = ModelVersionFactory(is_active=True)
    neighbour = CourseFactory(storefront=storefront, title="Neighbour")
    CourseSimilarity.objects.create(version=version, course=course, other=neighbour, kind="cf", score=0.5)
    CourseFactory(storefront=storefront, title="Sibling")
    assert also_like_titles(page(client, course)) == ["Neighbour", "Sibling"]


def test_also_like_leaves_out_the_course_itself_and_courses_the_learner_is_enrolled_in(
        client, learner, storefront, course):
    taken = CourseFactory(storefront=storefront, title="Already taken")
    CourseFactory(storefront=storefront, title="Not yet taken")
    EnrollmentFactory(learner=learner, course=taken)
    EnrollmentFactory(learner=learner, course=course)
    client.force_login(learner)
    titles = also_like_titles(page(client, course))
    assert titles == ["Not yet taken"]


def test_a_course_with_nothing_related_has_no_also_like_section(client, course):
    CourseFactory(title="Elsewhere")  # another storefront and category
    assert '<section class="also-like"' not in page(client, course)


def test_also_like_shows_at_most_four_cards(client, storefront, course):
    CourseFactory.create_batch(7, storefront=storefront)
    assert len(also_like_titles(page(client, course))) == 4


def query_counts(client, course) -> tuple[int, int]:
    """Queries for the course page with cold caches, then warm (the cache is database-backed in tests, so
    cache reads count as queries too)."""
    cache.clear()
    out = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            page(client, course)
        out.append(len(queries))
    return out[0], out[1]


def test_the_course_page_query_count_does_not_grow_with_the_models_neighbours(client, learner, course):
    version = ModelVersionFactory(is_active=True)
    client.force_login(learner)

    def add_neighbours(n: int, top: float) -> None:  # each in its own storefront: the costliest cards
        for i in range(n):
            CourseSimilarity.objects.create(version=version, course=course, other=CourseFactory(), kind="cf",
                                            score=top - i / 1000)

    add_neighbours(4, 0.9)
    few = query_counts(client, course)
    add_neighbours(40, 0.5)
    many = query_counts(client, course)
    assert len(also_like_titles(page(client, course))) == 4
    assert many == few
    # warm: request, session, user, course, enrolment, page, 3 recommender, reviews, 2 per card; the header's unread
    # notifications and the follow button's state (notifications); the poll and challenge panels (engagement)
    assert many[1] <= 27


def test_the_course_page_query_count_does_not_grow_with_the_storefront(client, storefront, course):
    CourseFactory.create_batch(4, storefront=storefront)
    few = query_counts(client, course)
    CourseFactory.create_batch(40, storefront=storefront)
    many = query_counts(client, course)
    assert many == few and many[1] <= 16


@pytest.mark.parametrize(("language", "amount", "expected"), [
    ("en", Decimal("1234.5"), "$1,234.50"),
    ("zh-hans", Decimal("1234.5"), "US$1234.50"),
    ("en", Decimal("19"), "$19.00"),
    ("zh-hans", Decimal("19"), "US$19.00"),
    ("en", Decimal("0"), "Free"),
    ("zh-hans", Decimal("0.00"), "免费"),
])
def test_price_filter_formats_the_amount_for_the_active_language(language, amount, expected):
    with translation.override(language):
        assert price(amount) == expected


def test_price_filter_is_empty_for_a_missing_or_non_numeric_value():
    assert price(None) == "" and price("") == "" and price("abc") == ""


def test_price_filter_in_a_template():
    template = Template("{% load catalog_tags %}{{ p|price }}")
    with translation.override("en"):
        assert template.render(Context({"p": Decimal("49.00")})) == "$49.00"


def test_course_page_and_cards_show_the_localised_price(client, storefront, course):
    free = CourseFactory(storefront=storefront, title="Free sibling", price=Decimal("0"))
    course.price = Decimal("1299.00")
    course.save()
    html = page(client, course)
    assert '<p class="price"><strong>$1,299.00</strong></p>' in html
    assert '<span class="price">Free</span>' in html  # the sibling's card
    zh = page(client, course, prefix="/zh-hans")
    assert '<p class="price"><strong>US$1299.00</strong></p>' in zh
    assert '<span class="price">免费</span>' in zh
    assert free.pk


def test_catalogue_cards_show_the_localised_price(client):
    CourseFactory(title="Priced", price=Decimal("2500"), storefront=StorefrontFactory(owner=UserFactory()))
    assert '<span class="price">$2,500.00</span>' in client.get("/").content.decode()
    assert '<span class="price">US$2500.00</span>' in client.get("/zh-hans/").content.decode()
