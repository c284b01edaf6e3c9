"""Property tests: random Unicode, huge, negative, enormous and non-numeric values posted to every form endpoint
(course, storefront, palette brief, review, sign-up) → never a 500, and nothing stored unless the form accepted
the input. Each example runs in a rolled-back savepoint (so on-commit dispatches never fire)."""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Course, Review, Storefront
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    CreatorFactory,
    EnrollmentFactory,
    StorefrontFactory,
)
from themes.models import PaletteJob

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HUGE = ["x" * 100_000, "科" * 20_000, "\u202e" * 2_000 + "gnp.exe", "🐍" * 10_000, "<script>" * 5_000]
text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=20),
    st.sampled_from(HUGE),
    st.sampled_from(["", " ", "\x00", "null", "NaN", "-0", "1e309", "#1e88e5", "#GGGGGG", "red;}body{x:y}",
                     "</style><script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd"]),
)
number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["-1", "0", "1", "5", "6", "99999999999999999999", "1.5", "-0.01", "1e-400", "abc", ""]),
)
value = st.one_of(text, number)


def _fields(names: list[str]):
    return st.fixed_dictionaries({}, optional={name: value for name in names})


def _post(client, url, data):
    """POST inside a savepoint that is rolled back; returns the response and the row counts seen inside it."""
    with transaction.atomic():
        response = client.post(url, data)
        inside = _counts()
        transaction.set_rollback(True)
    return response, inside


def _counts():
    return (Course.objects.count(), Storefront.objects.count(), PaletteJob.objects.count(), Review.objects.count(),
            User.objects.count())


@pytest.fixture
def owner():
    creator = CreatorFactory()
    storefront = StorefrontFactory(owner=creator, slug="fuzz")
    course = CourseFactory(storefront=storefront, category=CategoryFactory())
    client = Client(raise_request_exception=False)
    client.force_login(creator)
    return client, storefront, course


def _check(result, before, accepted_status=(302,)):
    response, inside = result
    assert response.status_code < 500, response.content[:300]
    if response.status_code not in accepted_status:
        assert inside == before, "an invalid submission stored something"


@FUZZ
@given(data=_fields(["title", "subtitle", "description", "category", "level", "language", "price", "published",
                     "cover_layout", "tags_text"]))
def test_course_form(owner, data):
    client, storefront, course = owner
    for url in (reverse("catalog:studio_course_new", args=[storefront.slug]),
                reverse("catalog:studio_course", args=[course.pk])):
        before = _counts()
        _check(_post(client, url, data), before)


@FUZZ
@given(data=_fields(["name", "slug", "tagline", "brand_keywords_text", "brand_colors_text"]))
def test_storefront_form(owner, data):
    client, storefront, _course = owner
    for url in (reverse("catalog:studio_storefront_new"), reverse("catalog:studio_storefront", args=[storefront.slug])):
        before = _counts()
        _check(_post(client, url, data), before)


@FUZZ
@given(data=_fields(["color_1", "lock_1", "role_1", "color_2", "lock_2", "role_2", "color_3", "keywords", "k",
                     "alpha", "beta", "gamma", "candidates", "seed"]))
def test_palette_brief_form(owner, data):
    client, storefront, _course = owner
    before = _counts()
    _check(_post(client, reverse("themes:palette_studio", args=[storefront.slug]), data), before)


@FUZZ
@given(data=_fields(["rating", "text"]))
def test_review_form(owner, data):
    _client, _storefront, course = owner
    learner_client = Client(raise_request_exception=False)
    enrollment = EnrollmentFactory(course=course)
    learner_client.force_login(enrollment.learner)
    before = _counts()
    with transaction.atomic():
        response = learner_client.post(reverse("catalog:course_review", args=[course.pk]), data)
        assert response.status_code < 500
        rating = data.get("rating", "")
        if not (rating.isascii() and rating.isdigit() and 1 <= int(rating) <= 5):
            assert _counts() == before, "an invalid rating was stored"
        assert not Review.objects.exclude(rating__in=[1, 2, 3, 4, 5]).exists()
        transaction.set_rollback(True)


@FUZZ
@given(data=_fields(["username", "email", "password1", "password2", "role", "display_name", "interests"]))
def test_signup_form(data, db):
    client = Client(raise_request_exception=False)
    before = _counts()
    _check(_post(client, reverse("accounts:signup"), data), before)
