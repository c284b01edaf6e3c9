"""Every 403, 404, 500 and CSRF failure is a styled, translated page with a way back (issue 19 item 5)."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import server_error

from tests.factories import CourseFactory, StaffFactory, StorefrontFactory
from themes.models import Palette

pytestmark = pytest.mark.django_db

LIGHT = {"background": "#fafafa", "surface": "#eceff1", "text": "#212121", "primary": "#1e88e5",
         "secondary": "#455a64", "accent": "#d81b60"}


def assert_styled_page_with_a_way_back(html: str, home: str = "/") -> None:
    assert "/static/css/site.css" in html and "<main" in html and "<h1>" in html
    assert f'href="{home}"' in html  # back to the catalogue


def test_404_is_a_styled_page_with_a_search_and_a_way_back(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_styled_page_with_a_way_back(html)
    assert "We could not find that page" in html and 'name="q"' in html


def test_404_on_a_chinese_page_is_in_chinese_and_leads_back_to_the_chinese_catalogue(client):
    response = client.get("/zh-hans/courses/999999/")
    html = response.content.decode()
    assert response.status_code == 404
    assert_styled_page_with_a_way_back(html, home="/zh-hans/")
    assert '<html lang="zh-hans">' in html and "我们找不到这个页面" in html and "We could not find" not in html


def test_403_for_a_learner_on_a_staff_page_is_a_styled_translated_page(client, learner):
    client.force_login(learner)
    for prefix, text in (("", "You may not open this page"), ("/zh-hans", "你无权打开此页面")):
        response = client.get(f"{prefix}/staff/palettes/")
        assert response.status_code == 403
        html = response.content.decode()
        assert_styled_page_with_a_way_back(html, home=f"{prefix}/")
        assert text in html


def test_403_says_why_when_the_view_gave_a_reason(client, storefront):
    owner = storefront.owner
    owner.is_staff = True
    owner.save()
    owner.user_permissions.add(Permission.objects.get(codename="approve_palette"))
    palette = Palette.objects.create(storefront=storefront, colors=LIGHT, dark=LIGHT, status="submitted")
    client.force_login(owner)
    response = client.post(f"/staff/palettes/{palette.pk}/approve/", {"note": "mine"})
    assert response.status_code == 403
    assert "Nobody may review a palette of a storefront they own." in response.content.decode()
    palette.refresh_from_db()
    assert palette.status == "submitted"


def test_csrf_failure_is_a_styled_translated_page_not_djangos_debug_text():
    client = Client(enforce_csrf_checks=True)
    for prefix, text in (("", "The form could not be sent"), ("/zh-hans", "表单未能发送")):
        response = client.post(f"{prefix}/accounts/login/", {"username": "x", "password": "y"})
        assert response.status_code == 403
        html = response.content.decode()
        assert_styled_page_with_a_way_back(html, home=f"{prefix}/")
        assert text in html and "CSRF verification failed" not in html


def test_500_page_renders_without_a_request_context_in_the_visitors_language():
    request = RequestFactory().get("/zh-hans/")
    with translation.override("zh-hans"):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert_styled_page_with_a_way_back(html, home="/zh-hans/")
    assert "我们这边出了点问题" in html


def test_a_reviewer_sees_approve_and_reject_only_for_palettes_they_may_review(client):
    reviewer = StaffFactory(is_superuser=False)
    reviewer.user_permissions.add(Permission.objects.get(codename="approve_palette"))
    own = StorefrontFactory(owner=reviewer, name="Own shop")
    other = StorefrontFactory(name="Other shop")
    for storefront in (own, other):
        CourseFactory(storefront=storefront)
        Palette.objects.create(storefront=storefront, colors=LIGHT, dark=LIGHT, status="submitted")
    client.force_login(reviewer)
    html = client.get("/staff/palettes/").content.decode()
    own_item, other_item = (html.split("<section")[i] for i in (1, 2))
    if "Own shop" not in own_item:
        own_item, other_item = other_item, own_item
    assert "Nobody may review a palette of a storefront they own." in own_item
    assert "/approve/" not in own_item and "/reject/" not in own_item
    assert "/approve/" in other_item and "/reject/" in other_item
    # one labelled note field per palette: no duplicate ids
    assert html.count('id="review-') == html.count("<textarea") == 1
