"""Localised labels on covers follow the page's language: a Chinese storefront page shows its category in
Chinese on the cover, drawn with real glyphs."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import CategoryFactory, CourseFactory
from themes import cover_store
from themes.covers import render_cover_detailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def design_course(storefront):
    category = CategoryFactory(slug="design", name="Design", name_zh="设计")
    return CourseFactory(storefront=storefront, category=category, title="自然冥想入门", published=True)


def eyebrow(course, language: str) -> str:
    with translation.override(language):
        render = render_cover_detailed(cover_store.renderable_spec(course, "thumb"))
    label = next(p for p in render.texts if p.role == "eyebrow")
    return "".join(run.text for line in label.block.lines for run in line.runs)


def test_the_cover_category_label_follows_the_page_language(design_course):
    assert eyebrow(design_course, "zh-hans") == "设计"
    assert eyebrow(design_course, "en") == "DESIGN"


def cover_url(course, language: str) -> str:
    """The URL a page in ``language`` links (as the cover_url template tag builds it)."""
    with translation.override(language):
        digest = cover_store.cover_digest(course, "thumb")
        return reverse("themes:course_cover", args=[course.pk]) + f"?size=thumb&v={digest[:16]}"


def test_each_language_has_its_own_cover_url_and_serves_it_fresh(client, design_course):
    english, chinese = cover_url(design_course, "en"), cover_url(design_course, "zh-hans")
    assert chinese.startswith("/zh-hans/") and english != chinese
    for url in (english, chinese):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/webp"
        assert "immutable" in response["Cache-Control"]  # the page's v= digest is the one the view renders


def test_a_category_without_a_chinese_name_keeps_its_english_label(storefront):
    course = CourseFactory(storefront=storefront, category=CategoryFactory(slug="misc", name="Misc", name_zh=""))
    assert eyebrow(course, "zh-hans") == "MISC"
