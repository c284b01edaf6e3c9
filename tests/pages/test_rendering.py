"""Storefront rendering: sections in order through the preset, fallback, query bounds, caching."""

import re

import pytest

from courseplatform.catalog import services as catalog_services
from courseplatform.catalog.models import Review
from courseplatform.pages import services
from courseplatform.pages.cache import invalidate
from courseplatform.pages.sections import Section
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from themes.plugins import SECTIONS

pytestmark = pytest.mark.django_db

ALL = ("hero", "featured", "course_grid", "testimonials", "about", "faq", "newsletter")


def section_order(html: str) -> list[str]:
    return re.findall(r'class="pg pg-([a-z_]+)"', html)


def get(client, storefront, **params):
    response = client.get(storefront.get_absolute_url(), params)
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_published_page_the_storefront_falls_back(client, storefront, course, build_page):
    build_page("faq")  # a draft only
    html = get(client, storefront)
    assert 'class="hero"' in html and course.title in html and "pg-faq" not in html


def test_published_sections_render_in_order_through_the_preset(client, storefront, creator, course, build_page):
    # an about section without text stays off the live page: give it some
    build_page("faq", "hero", "about", publish=True, data={"about": {"body": "<p>Hi</p>"}})
    html = get(client, storefront)
    assert section_order(html) == ["faq", "hero", "about"]
    assert "preset-classic-page" in html and "css/sections.css" in html and 'class="hero"' not in html
    storefront.theme_preset = "bold"
    storefront.save()
    assert "preset-bold-page" in get(client, storefront)


def test_user_text_is_escaped_and_rich_text_sanitised(client, storefront, creator, build_page):
    build_page("hero", "about", "faq", publish=True, data={
        "hero": {"headline": "<script>alert(1)</script>"},
        "about": {"body": '<p>Hello <img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a></p>'},
        "faq": {"items": [{"question": "<b>q</b>", "answer": "<i>a</i>"}]},
    })
    html = get(client, storefront)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
    assert "onerror" not in html and "javascript:" not in html and "<p>Hello " in html
    assert "&lt;b&gt;q&lt;/b&gt;" in html
    assert 'style="' not in html.split("<main", 1)[1]


def test_featured_modes_and_grid_filters(client, storefront, creator, build_page):
    old = CourseFactory(storefront=storefront, title="Old course", language="zh-hans", level="advanced")
    new = CourseFactory(storefront=storefront, title="New course")
    EnrollmentFactory(course=old)
    CourseFactory(storefront=storefront, title="Hidden draft", published=False)
    featured, grid = build_page("featured", "course_grid", data={
        "featured": {"mode": "chosen", "course_ids": [old.pk], "title": "Picked"},
    }, publish=True)
    html = get(client, storefront)
    picked = html.split("Picked")[1].split("</section>")[0]
    assert "Old course" in picked and "New course" not in picked
    assert "Hidden draft" not in html
    filtered = get(client, storefront, language="zh-hans", level="advanced")
    grid_html = filtered.split('class="pg pg-grid"')[1]
    assert "Old course" in grid_html and "New course" not in grid_html
    assert "New course" in get(client, storefront, language="en").split('class="pg pg-grid"')[1]
    services.section_update(storefront=storefront, actor=creator, section_id=featured["id"],
                            data={"mode": "popular", "limit": 1, "title": "Popular"})
    services.page_publish(storefront=storefront, actor=creator)
    popular = get(client, storefront).split("Popular")[1].split("</section>")[0]
    assert "Old course" in popular and "New course" not in popular
    assert new.pk


def test_recommended_featured_uses_the_feed_limited_to_this_storefront(client, storefront, creator, build_page,
                                                                       monkeypatch):
    mine = CourseFactory(storefront=storefront, title="Mine")
    other = CourseFactory(title="Someone else's")
    calls = []

    def fake_feed(request, limit, storefront_id=None, version_id=None):
        calls.append(limit)
        feed = [{"course": other, "reason": "elsewhere"}, {"course": mine, "reason": "Because you liked X"}]
        return [i for i in feed if storefront_id is None or i["course"].storefront_id == storefront_id]

    monkeypatch.setattr("recommender.selectors.feed_for_request", fake_feed)
    build_page("featured", data={"featured": {"mode": "recommended", "limit": 2}}, publish=True)
    html = get(client, storefront)
    assert "Because you liked X" in html and "Someone else" not in html
    get(client, storefront)
    assert len(calls) == 2  # personal: never served from the cache


def test_testimonials_from_reviews_and_entered(client, storefront, creator, course, build_page):
    learner = UserFactory(username="happy")
    Review.objects.create(learner=learner, course=course, rating=5, text="Changed my career")
    Review.objects.create(learner=UserFactory(), course=course, rating=2, text="Meh")
    from_reviews, entered = build_page("testimonials", "testimonials", data={})
    services.section_update(storefront=storefront, actor=creator, section_id=entered["id"],
                            data={"source": "entered", "quotes": [{"quote": "Typed in", "author": "Ming"}]})
    services.page_publish(storefront=storefront, actor=creator)
    html = get(client, storefront)
    assert "Changed my career" in html and "happy" in html and "Meh" not in html
    assert "Typed in" in html and "Ming" in html


def test_a_published_page_renders_in_a_bounded_number_of_queries(client, storefront, creator, build_page,
                                                                 django_assert_max_num_queries):
    for i in range(8):
        course = CourseFactory(storefront=storefront, title=f"Course {i}")
        Review.objects.create(learner=UserFactory(), course=course, rating=5, text=f"Great {i}")
    build_page(*ALL, publish=True)
    with django_assert_max_num_queries(40):  # cold: every section queries once, then one cache write
        get(client, storefront)
    with django_assert_max_num_queries(8):  # warm: storefront, page, generation, course stamp, palette, html
        get(client, storefront)
    for i in range(8, 30):
        CourseFactory(storefront=storefront, title=f"Course {i}")
    with django_assert_max_num_queries(40):  # the bound does not grow with the number of courses
        get(client, storefront)


def test_the_page_is_cached_until_something_it_shows_changes(client, storefront, creator, course, build_page,
                                                             make_palette):
    hero, grid = build_page("hero", "course_grid", publish=True)
    assert storefront.name in get(client, storefront)
    # the cache really serves the page: a change made behind the services' back is not shown...
    from courseplatform.pages.models import PageVersion

    PageVersion.objects.filter(number=1).update(
        sections=[{**hero, "data": {**hero["data"], "headline": "Cached?"}}, grid])
    assert "Cached?" not in get(client, storefront)
    # ...until a service invalidates it
    invalidate(storefront.pk)
    assert "Cached?" in get(client, storefront)
    # publishing a new version
    services.section_update(storefront=storefront, actor=creator, section_id=hero["id"], data={"headline": "V2"})
    services.page_publish(storefront=storefront, actor=creator)
    assert "V2" in get(client, storefront)
    # the storefront changes
    catalog_services.storefront_update(storefront=storefront, actor=creator, data={"name": "Renamed"})
    assert "Renamed" in get(client, storefront)
    # one of its courses changes, or a course is added
    catalog_services.course_update(course=course, actor=creator, data={"title": "Retitled course"})
    assert "Retitled course" in get(client, storefront)
    CourseFactory(storefront=storefront, title="Brand new course")
    assert "Brand new course" in get(client, storefront)
    # its active palette changes: the cover URLs (palette-dependent) change with it
    before = re.findall(r"/covers/\d+/\?size=thumb&amp;v=\w+", get(client, storefront))
    palette = make_palette(status="approved")
    from themes import services as theme_services

    theme_services.palette_activate(palette=palette, actor=creator)
    after = re.findall(r"/covers/\d+/\?size=thumb&amp;v=\w+", get(client, storefront))
    assert before and after and set(before).isdisjoint(after)


def test_the_cache_is_per_language(client, storefront, creator, build_page, monkeypatch):
    from courseplatform.pages import rendering

    build_page("faq", publish=True)
    keys, real_get = [], rendering.cache.get
    monkeypatch.setattr(rendering.cache, "get", lambda key, *a: keys.append(key) or real_get(key, *a))
    assert "Frequently asked questions" in get(client, storefront)
    zh = client.get("/zh-hans" + storefront.get_absolute_url())
    assert zh.status_code == 200 and 'lang="zh-hans"' in zh.content.decode()
    html_keys = [k for k in keys if k.startswith("pages:html:")]
    assert len(html_keys) == 2 and html_keys[0] != html_keys[1]


def test_a_broken_section_plugin_does_not_break_the_storefront(client, storefront, creator, build_page):
    class Broken(Section):
        slug, label, template = "broken", "Broken", "pages/sections/about.html"
        palette_roles = {"panel": "surface"}

        def context(self, data, ctx):
            raise RuntimeError("plugin bug")

    with SECTIONS.register_temporarily(Broken()):
        build_page("hero", "broken", "faq", publish=True)
        html = get(client, storefront)
    assert section_order(html) == ["hero", "faq"]
    assert section_order(get(client, storefront)) == ["hero", "faq"]  # an unregistered type is skipped


def test_the_course_page_shows_the_about_section(client, storefront, creator, course, build_page):
    build_page("hero", "about", publish=True, data={"about": {"body": "<p>I teach <strong>well</strong></p>"}})
    html = client.get(course.get_absolute_url()).content.decode()
    assert "<strong>well</strong>" in html and "pg-about" in html and "pg-hero" not in html


def test_the_course_page_without_a_page_is_unchanged(client, course):
    html = client.get(course.get_absolute_url()).content.decode()
    assert "pg-" not in html and "sections.css" not in html


def test_the_course_page_carries_the_storefronts_theme_stylesheet_and_preset_body_class(
        client, storefront, course, make_palette):
    from themes.selectors import theme_stylesheet_url

    make_palette(status="active")
    theme_link = f'<link rel="stylesheet" href="{theme_stylesheet_url(storefront)}">'
    assert f"/{storefront.slug}/theme.css?v=" in theme_link
    html = client.get(course.get_absolute_url()).content.decode()
    assert theme_link in html and theme_link in get(client, storefront)  # the same stylesheet as the storefront
    assert re.search(r'<body [^>]*class="course-page preset-classic"', html)
    storefront.theme_preset = "bold"
    storefront.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert re.search(r'<body [^>]*class="course-page preset-bold"', html)


def test_built_in_presets_declare_their_course_page_sections():
    from dataclasses import fields

    from themes.builtin.presets import BOLD, CLASSIC, DEFAULT_COURSE_PAGE_SECTIONS, ThemePreset

    assert "course_page_sections" in {f.name for f in fields(ThemePreset)}
    assert CLASSIC.course_page_sections == DEFAULT_COURSE_PAGE_SECTIONS == ("about",)
    assert BOLD.course_page_sections == ("about", "testimonials")


def test_the_course_page_shows_the_sections_its_preset_names(client, storefront, creator, course, build_page):
    Review.objects.create(learner=UserFactory(), course=course, rating=5, text="Worth every minute")
    build_page("hero", "about", "testimonials", publish=True,
               data={"about": {"body": "<p>About the teacher</p>"}})
    html = client.get(course.get_absolute_url()).content.decode()
    assert section_order(html) == ["about"]  # classic: about only
    storefront.theme_preset = "bold"
    storefront.save()
    html = client.get(course.get_absolute_url()).content.decode()
    assert section_order(html) == ["about", "testimonials"]  # bold adds the storefront's testimonials


def test_a_preset_without_course_page_sections_gets_the_default(rf, storefront, creator, build_page):
    from types import SimpleNamespace

    from courseplatform import hooks
    from courseplatform.hooks import hookimpl
    from courseplatform.pages.rendering import course_page_sections
    from themes.plugins import THEME_PRESETS

    build_page("hero", "about", publish=True)
    request = rf.get("/")
    request.user = creator
    third_party = SimpleNamespace(slug="minimal", label="Minimal", template="x.html", role_map={})
    with THEME_PRESETS.register_temporarily(third_party):
        storefront.theme_preset = "minimal"
        assert [s.type for s in course_page_sections(storefront, request)] == ["about"]

    class NoneShown:  # a plugin that says: no sections on course pages
        @hookimpl
        def course_page_section_types(self, storefront):
            return ()

    with hooks.plugin_registered(NoneShown()):
        assert course_page_sections(storefront, request) == []
