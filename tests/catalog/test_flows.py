import pytest
from django.urls import reverse

from courseplatform.accounts.models import User
from courseplatform.catalog import services
from courseplatform.catalog.models import Enrollment, Review
from courseplatform.events.models import Interaction
from tests.factories import CategoryFactory, CourseFactory

pytestmark = pytest.mark.django_db


def test_sign_up_as_creator_with_interests_lands_in_the_studio(client):
    category = CategoryFactory(name="Data Science")
    response = client.post(reverse("accounts:signup"), {
        "username": "newbie", "email": "n@example.com", "display_name": "New", "role": "creator",
        "password1": "a-strong-pass-9876", "password2": "a-strong-pass-9876", "interests": [category.pk]})
    assert response.status_code == 302 and response["Location"].endswith(reverse("catalog:studio"))
    user = User.objects.get(username="newbie")
    assert user.is_creator and list(user.interests.all()) == [category]


def test_creator_creates_storefront_and_course_through_the_pages(client, creator):
    client.force_login(creator)
    response = client.post(reverse("catalog:studio_storefront_new"), {
        "name": "科技学院", "slug": "keji", "tagline": "学无止境", "brand_keywords_text": "科技, 成长",
        "brand_colors_text": "#1e88e5"})
    assert response.status_code == 302
    category = CategoryFactory()
    response = client.post(reverse("catalog:studio_course_new", args=["keji"]), {
        "title": "机器学习入门 🤖", "subtitle": "从零开始", "description": "…", "category": category.pk,
        "level": "beginner", "language": "zh-hans", "price": "49.00", "published": "on", "tags_text": "ml, python"})
    assert response.status_code == 302
    page = client.get(reverse("catalog:storefront", args=["keji"])).content.decode()
    assert "机器学习入门 🤖" in page


def test_learner_enrols_completes_and_reviews(client, learner, course):
    course.price = 0  # free: one click enrols (paid courses are bought: tests/commerce)
    course.save(update_fields=["price"])
    client.force_login(learner)
    assert client.post(reverse("catalog:course_enroll", args=[course.pk])).status_code == 302
    assert client.post(reverse("catalog:course_enroll", args=[course.pk])).status_code == 302  # twice is harmless
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1
    client.post(reverse("catalog:course_complete", args=[course.pk]))
    client.post(reverse("catalog:course_review", args=[course.pk]), {"rating": "5", "text": "Great"})
    assert Review.objects.get(learner=learner, course=course).rating == 5
    logged = set(Interaction.objects.filter(user=learner, course=course).values_list("type", flat=True))
    assert logged == {"enroll", "complete", "rate"}


def test_review_without_enrolment_is_refused(learner, course):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.review_submit(learner=learner, course=course, rating=4)


def test_out_of_range_rating_is_refused_with_a_message(client, learner, course):
    course.price = 0  # free: one click enrols
    course.save(update_fields=["price"])
    client.force_login(learner)
    client.post(reverse("catalog:course_enroll", args=[course.pk]))
    response = client.post(reverse("catalog:course_review", args=[course.pk]), {"rating": "9"}, follow=True)
    assert "1 to 5" in response.content.decode()
    assert not Review.objects.exists()


def test_creator_cannot_enrol_in_own_course(client, creator, course):
    client.force_login(creator)
    client.post(reverse("catalog:course_enroll", args=[course.pk]))
    assert not Enrollment.objects.exists()


def test_catalogue_filters_by_category_and_language(client):
    a = CourseFactory(title="Deep Learning", language="en")
    b = CourseFactory(title="深度学习", language="zh-hans")
    page = client.get(reverse("catalog:home"), {"language": "zh-hans"}).content.decode()
    assert b.title in page and a.title not in page
    page = client.get(reverse("catalog:home"), {"category": a.category.slug}).content.decode()
    assert a.title in page and b.title not in page


def test_course_title_markup_is_escaped(client):
    course = CourseFactory(title='<script>alert("x")</script>')
    page = client.get(course.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("name", ["catalog:home", "accounts:login", "accounts:signup"])
def test_public_pages_render(client, name):
    assert client.get(reverse(name)).status_code == 200


def test_healthz_reports_database_broker_and_workers(client):
    body = client.get("/healthz").json()
    assert body["database"] == "ok" and "broker" in body and "workers" in body


def test_pages_carry_a_content_security_policy(client):
    response = client.get(reverse("catalog:home"))
    csp = response["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "object-src 'none'" in csp
