"""The page builder's hints are placeholders, never content, and untouched default texts follow the page's
language (issue 19 item 4: "Tell visitors who you are and why you teach." went live; titles were English on
Chinese pages)."""

import pytest
from django.urls import reverse
from django.utils import translation

from courseplatform.pages import selectors, services

pytestmark = pytest.mark.django_db

ABOUT_HINT = "Tell visitors who you are and why you teach."


def draft_data(storefront, section_type: str) -> dict:
    return next(s["data"] for s in selectors.draft_or_latest(storefront).sections if s["type"] == section_type)


def test_a_new_about_section_saves_no_hint_and_stays_off_the_live_page_until_written(client, storefront, creator):
    section = services.section_add(storefront=storefront, actor=creator, section_type="about")
    services.section_add(storefront=storefront, actor=creator, section_type="hero")
    assert section["data"]["body"] == ""
    client.force_login(creator)
    editor = client.get(reverse("pages:section_edit", args=[storefront.slug, section["id"]])).content.decode()
    assert f'placeholder="{ABOUT_HINT}"' in editor  # the hint is shown in the empty field …
    client.post(reverse("pages:section_edit", args=[storefront.slug, section["id"]]),
                {"title": "About the creator", "body": ""})
    assert draft_data(storefront, "about")["body"] == ""  # … and saving the untouched form stores nothing
    services.page_publish(storefront=storefront, actor=creator)
    client.logout()
    live = client.get(storefront.get_absolute_url()).content.decode()
    assert ABOUT_HINT not in live and "pg-about" not in live and "pg-hero" in live


def test_the_preview_says_an_empty_about_section_is_hidden(client, storefront, creator):
    services.section_add(storefront=storefront, actor=creator, section_type="about")
    client.force_login(creator)
    preview = client.get(reverse("pages:preview", args=[storefront.slug])).content.decode()
    assert "visitors do not see it until you write some" in preview and ABOUT_HINT not in preview


def test_untouched_default_titles_follow_the_visitors_language_and_written_ones_stay(client, storefront, creator):
    with translation.override("en"):
        featured = services.section_add(storefront=storefront, actor=creator, section_type="featured")
        services.section_add(storefront=storefront, actor=creator, section_type="newsletter")
    with translation.override("zh-hans"):  # the creator switched the studio to Chinese for this one
        about = services.section_add(storefront=storefront, actor=creator, section_type="about")
    assert about["data"]["title"] == "关于创作者"
    services.section_update(storefront=storefront, actor=creator, section_id=about["id"],
                            data={**about["data"], "body": "<p>我教数据。</p>"})
    grid = services.section_add(storefront=storefront, actor=creator, section_type="course_grid")
    services.section_update(storefront=storefront, actor=creator, section_id=grid["id"],
                            data={**grid["data"], "title": "Everything I teach"})
    services.page_publish(storefront=storefront, actor=creator)

    chinese = client.get(f"/zh-hans/s/{storefront.slug}/").content.decode()
    for text in ("精选课程", "保持联系", "订阅", "新课程和优惠信息，每月最多一封。", "关于创作者"):
        assert text in chinese, text
    assert "Featured courses" not in chinese and "Stay in touch" not in chinese
    assert "Everything I teach" in chinese  # what the creator wrote is never translated away

    english = client.get(f"/s/{storefront.slug}/").content.decode()
    for text in ("Featured courses", "Stay in touch", "Subscribe", "About the creator", "Everything I teach"):
        assert text in english, text
    assert "关于创作者" not in english
    assert featured["data"]["title"] == "Featured courses"  # stored as added; only the display follows the page


def test_a_section_declared_as_written_in_english_keeps_its_english_title(client, storefront, creator):
    from courseplatform.pages.models import LANGUAGE_KEY

    section = services.section_add(storefront=storefront, actor=creator, section_type="featured")
    services.section_update(storefront=storefront, actor=creator, section_id=section["id"],
                            data={**section["data"], LANGUAGE_KEY: "en"})
    services.page_publish(storefront=storefront, actor=creator)
    chinese = client.get(f"/zh-hans/s/{storefront.slug}/").content.decode()
    assert "Featured courses" in chinese and "精选课程" not in chinese
