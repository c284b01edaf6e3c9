"""The core alone (no theming plugin, no recommender) checks, migrates and serves every core page, with plain
styling and placeholder course images (issue 13)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from courseplatform import hooks
from courseplatform.catalog.models import Enrollment
from courseplatform.catalog.platform_hooks import PLACEHOLDER_IMAGE

PLUGINS = ("themes", "recommender")


def test_the_plugin_apps_are_not_installed():
    assert not [app for app in PLUGINS if apps.is_installed(app)]
    for namespace in ("themes:review_queue", "recommender:dashboard"):
        with pytest.raises(NoReverseMatch):
            reverse(namespace)


def test_no_plugin_module_answers_a_hook():
    plugins = {name for name, _plugin in hooks.manager().list_name_plugin()}
    assert plugins and not [name for name in plugins if name.split(".")[0] in PLUGINS]


def test_system_checks_pass_and_migrations_are_complete(db):
    call_command("check")
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.fixture
def free_course(course):
    course.price = Decimal("0")
    course.save(update_fields=["price"])
    return course


def test_home_and_catalogue_show_courses_with_placeholder_images(client, free_course):
    for url in (reverse("catalog:home"), reverse("catalog:home") + "?q=" + free_course.title[:5]):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert free_course.title in html
        assert PLACEHOLDER_IMAGE in html


def test_storefront_page_is_plain(client, free_course):
    response = client.get(free_course.storefront.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert free_course.title in html and PLACEHOLDER_IMAGE in html
    assert "theme.css" not in html  # no theme stylesheet: the site's own styles only


def test_course_page_and_enrolment(client, learner, free_course):
    page = client.get(free_course.get_absolute_url())
    assert page.status_code == 200 and PLACEHOLDER_IMAGE in page.content.decode()
    client.force_login(learner)
    response = client.post(reverse("catalog:course_enroll", args=[free_course.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.filter(learner=learner, course=free_course).exists()
    assert "You are enrolled." in client.get(free_course.get_absolute_url()).content.decode()


def test_studio_storefront_and_course_forms_work_without_cover_layouts(client, creator, storefront, course):
    client.force_login(creator)
    assert client.get(reverse("catalog:studio")).status_code == 200
    edit = client.get(reverse("catalog:studio_storefront", args=[storefront.slug]))
    assert edit.status_code == 200 and "palette" not in edit.content.decode().lower()
    new_course = reverse("catalog:studio_course_new", args=[storefront.slug])
    form = client.get(new_course)
    assert form.status_code == 200 and "cover-picker" not in form.content.decode()
    response = client.post(new_course, {
        "title": "Plain course", "subtitle": "", "description": "No plugins here.", "category": course.category_id,
        "level": "beginner", "language": "en", "price": "0", "currency": "USD", "tags_text": "", "published": "on"})
    course = storefront.courses.get(title="Plain course")
    assert response.status_code == 302 and course.cover_layout == ""


def test_page_builder_builds_previews_and_publishes_a_page_with_the_cores_sections(client, creator, storefront):
    client.force_login(creator)
    editor = client.get(reverse("pages:editor", args=[storefront.slug]))
    assert editor.status_code == 200 and 'value="hero"' in editor.content.decode()
    added = client.post(reverse("pages:section_add", args=[storefront.slug]), {"type": "hero"})
    assert added.status_code == 302
    preview = client.get(reverse("pages:preview", args=[storefront.slug]))
    assert preview.status_code == 200 and "pg-hero" in preview.content.decode()
    assert client.post(reverse("pages:publish", args=[storefront.slug])).status_code == 302
    client.logout()
    assert "pg-hero" in client.get(storefront.get_absolute_url()).content.decode()
