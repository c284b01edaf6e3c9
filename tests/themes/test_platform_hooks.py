"""The theming plugin answers the core's hooks (issue 13): the core asks, themes supplies the look."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from courseplatform import hooks
from courseplatform.catalog.platform_hooks import PLACEHOLDER_IMAGE


def test_course_images_are_the_plugins_covers_not_the_core_placeholder(rf, course):
    url = hooks.first("course_image_url", request=rf.get("/"), course=course, size="thumb")
    assert url.startswith(reverse("themes:course_cover", args=[course.pk])) and PLACEHOLDER_IMAGE not in url


def test_studio_links_name_the_palette_pages(rf, storefront):
    palettes = reverse("themes:palette_studio", args=[storefront.slug])
    row = hooks.call_flat("studio_links", request=rf.get("/"), storefront=storefront, place="studio")
    page = hooks.call_flat("studio_links", request=rf.get("/"), storefront=storefront, place="storefront")
    assert palettes in [link.url for link in row]
    assert palettes in [link.url for link in page if link.button]


def test_staff_see_the_review_queue_in_the_navigation(client, staff, learner):
    queue = reverse("themes:review_queue")
    client.force_login(staff)
    assert f'href="{queue}"' in client.get(reverse("catalog:home")).content.decode()
    client.force_login(learner)
    assert f'href="{queue}"' not in client.get(reverse("catalog:home")).content.decode()


def test_a_preview_in_an_unknown_palette_is_a_404(owner_client, storefront):
    response = owner_client.get(reverse("pages:preview", args=[storefront.slug]) + "?palette=999999")
    assert response.status_code == 404


@pytest.fixture
def owner_client(client, creator):
    client.force_login(creator)
    return client


def test_a_storefront_without_a_palette_gets_no_theme_stylesheet(storefront):
    request = RequestFactory().get("/")
    assert hooks.call_flat("storefront_stylesheet_urls", request=request, storefront=storefront) == []
