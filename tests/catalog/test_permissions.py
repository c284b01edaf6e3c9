import pytest
from django.urls import reverse

from courseplatform.catalog.models import Course, Storefront
from tests.factories import CourseFactory, StorefrontFactory

pytestmark = pytest.mark.django_db


def test_creator_cannot_open_another_creators_storefront_editor(client, other_creator, storefront):
    client.force_login(other_creator)
    response = client.get(reverse("catalog:studio_storefront", args=[storefront.slug]))
    assert response.status_code == 404


def test_creator_cannot_edit_another_creators_course(client, other_creator, course):
    client.force_login(other_creator)
    url = reverse("catalog:studio_course", args=[course.pk])
    response = client.post(url, {"title": "Hijacked", "category": course.category_id, "level": "beginner",
                                 "language": "en", "price": "1"})
    assert response.status_code == 404
    course.refresh_from_db()
    assert course.title != "Hijacked"


def test_creator_cannot_add_courses_to_another_creators_storefront(client, other_creator, storefront):
    client.force_login(other_creator)
    response = client.post(reverse("catalog:studio_course_new", args=[storefront.slug]), {"title": "X"})
    assert response.status_code == 404
    assert not Course.objects.filter(title="X").exists()


def test_learner_cannot_reach_creator_pages(client, learner):
    client.force_login(learner)
    assert client.get(reverse("catalog:studio")).status_code == 403
    assert client.get(reverse("catalog:studio_storefront_new")).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in_from_creator_pages(client):
    response = client.get(reverse("catalog:studio"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_only_staff_reach_the_admin(client, learner, creator, staff):
    for user in (learner, creator):
        client.force_login(user)
        assert client.get("/admin/").status_code == 302
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_owner_edits_own_storefront(client, creator, storefront):
    client.force_login(creator)
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), {
        "name": "Renamed", "slug": storefront.slug, "tagline": "t", "brand_keywords_text": "科技, 成长",
        "brand_colors_text": "#2E7D32"})
    assert response.status_code == 302
    storefront.refresh_from_db()
    assert storefront.name == "Renamed" and storefront.brand_colors == ["#2e7d32"]
    assert storefront.brand_keywords == ["科技", "成长"]


def test_forms_require_csrf(creator, storefront):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(creator)
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), {"name": "x"})
    assert response.status_code == 403


def test_unpublished_course_is_hidden_from_everyone_but_its_owner(client, learner, creator, storefront):
    draft = CourseFactory(storefront=storefront, published=False)
    client.force_login(learner)
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(creator)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_creator_storefront_list_shows_only_their_own(client, creator, storefront):
    StorefrontFactory(name="Someone else's shop")
    client.force_login(creator)
    page = client.get(reverse("catalog:studio")).content.decode()
    assert storefront.name in page and "Someone else" not in page
    assert Storefront.objects.count() == 2
