"""Section plugins: declared fields, validation, sanitising, contract extras."""

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template

from courseplatform.pages.builtin_sections import BUILTIN_SECTIONS
from courseplatform.pages.sanitize import sanitize_html
from courseplatform.pages.sections import PALETTE_ROLES, Field, Section, sections_registry
from themes.plugins import SECTIONS

BY_SLUG = {s.slug: s for s in BUILTIN_SECTIONS}


def test_every_builtin_section_is_registered_in_order():
    assert sections_registry().keys()[:7] == ["hero", "featured", "course_grid", "testimonials", "about", "faq", "newsletter"]


@pytest.mark.parametrize("section", sections_registry().all(), ids=lambda s: s.slug)
def test_every_registered_section_has_valid_initial_data_a_template_and_palette_roles(section, storefront):
    cleaned = section.clean(section.initial(storefront))
    assert set(cleaned) == {f.name for f in section.fields}
    assert section.clean(cleaned) == cleaned  # cleaning is idempotent
    get_template(section.template)
    assert section.palette_roles and set(section.palette_roles.values()) <= set(PALETTE_ROLES)


@pytest.mark.parametrize("section", BUILTIN_SECTIONS, ids=lambda s: s.slug)
def test_non_dict_data_is_refused(section):
    with pytest.raises(ValidationError):
        section.clean(["not", "a", "dict"])


@pytest.mark.parametrize(("slug", "data", "bad_field"), [
    ("hero", {"headline": ""}, "headline"),
    ("hero", {"headline": "x" * 121}, "headline"),
    ("hero", {"headline": "Hi", "cta_label": "Go"}, "cta_url"),
    ("hero", {"headline": "Hi", "cta_url": "/s/x/"}, "cta_label"),
    ("hero", {"headline": "Hi", "cta_label": "Go", "cta_url": "javascript:alert(1)"}, "cta_url"),
    ("hero", {"headline": "Hi", "cta_label": "Go", "cta_url": "//evil.example/"}, "cta_url"),
    ("hero", {"headline": ["not", "text"]}, "headline"),
    ("featured", {"mode": "chosen", "course_ids": []}, "course_ids"),
    ("featured", {"mode": "sideways"}, "mode"),
    ("featured", {"mode": "newest", "limit": 0}, "limit"),
    ("featured", {"mode": "newest", "limit": 13}, "limit"),
    ("featured", {"mode": "chosen", "course_ids": ["x"]}, "course_ids"),
    ("featured", {"mode": "chosen", "course_ids": list(range(1, 14))}, "course_ids"),
    ("course_grid", {"limit": 61}, "limit"),
    ("testimonials", {"source": "entered", "quotes": []}, "quotes"),
    ("testimonials", {"source": "entered", "quotes": [{"quote": "Great", "author": ""}]}, "quotes"),
    ("testimonials", {"source": "reviews", "min_rating": 6}, "min_rating"),
    ("testimonials", {"source": "reviews", "quotes": "a string"}, "quotes"),
    ("about", {"body": "x" * 10001}, "body"),  # an empty body is allowed: the section is then not shown
    ("faq", {"items": []}, "items"),
    ("faq", {"items": [{"question": "Why?", "answer": ""}]}, "items"),
    ("faq", {"items": [{"question": "q", "answer": "a"}] * 21}, "items"),
    ("newsletter", {"button_label": "x" * 41}, "button_label"),
    ("newsletter", {"contact_email": "not-an-address"}, "contact_email"),
])
def test_invalid_data_raises_field_errors(slug, data, bad_field):
    with pytest.raises(ValidationError) as caught:
        BY_SLUG[slug].clean(data)
    assert bad_field in caught.value.message_dict


@pytest.mark.parametrize(("slug", "data", "expected"), [
    ("hero", {"headline": "  Learn  ", "cta_label": "Start", "cta_url": "https://example.com/x"},
     {"headline": "Learn", "cta_url": "https://example.com/x"}),
    ("hero", {"headline": "学习编程", "cta_label": "开始", "cta_url": "/s/ada/"}, {"cta_url": "/s/ada/"}),
    ("featured", {"mode": "chosen", "course_ids": ["3", 3, 2]}, {"course_ids": [3, 2], "limit": 4}),
    ("featured", {"mode": "recommended", "limit": "6"}, {"limit": 6}),
    ("course_grid", {}, {"show_filters": True, "limit": 24}),
    ("course_grid", {"show_filters": False}, {"show_filters": False}),
    ("testimonials", {"source": "entered", "quotes": [{"quote": "Great", "author": "Li", "extra": "dropped"}]},
     {"quotes": [{"quote": "Great", "author": "Li", "role": ""}]}),
    ("faq", {"items": [{"question": "Q?", "answer": "A."}]}, {"items": [{"question": "Q?", "answer": "A."}]}),
    ("newsletter", {"contact_email": "hi@example.com"}, {"contact_email": "hi@example.com"}),
])
def test_valid_data_is_cleaned(slug, data, expected):
    cleaned = BY_SLUG[slug].clean(data)
    for key, value in expected.items():
        assert cleaned[key] == value
    assert "extra" not in str(cleaned)


def test_unknown_keys_are_dropped():
    assert "evil" not in BY_SLUG["hero"].clean({"headline": "Hi", "evil": "<script>"})


# --- sanitising rich text (nh3) ---------------------------------------------------------------------

@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script><p>ok</p>",
    "<p>ok<img src=x onerror=alert(1)></p>",
    '<p onclick="alert(1)" onmouseover="alert(2)">ok</p>',
    '<p><a href="javascript:alert(1)">ok</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">ok</a></p>',
    '<p><a href="data:text/html,<script>alert(1)</script>">ok</a></p>',
    '<p style="background:url(javascript:alert(1))">ok</p>',
    "<style>body{display:none}</style><p>ok</p>",
    '<iframe src="https://evil.example"></iframe><p>ok</p>',
    '<svg onload="alert(1)"><p>ok</p></svg>',
    '<p>ok</p><form action="https://evil.example"><input name=x></form>',
])
def test_dangerous_html_is_removed(payload):
    clean = sanitize_html(payload)
    lowered = clean.lower()
    for needle in ("<script", "onerror", "onclick", "onmouseover", "onload", "javascript:", "style=", "<style",
                   "<iframe", "<svg", "<form", "<input", "data:"):
        assert needle not in lowered, (needle, clean)
    assert "ok" in clean


def test_the_allow_list_survives():
    html = ('<h3>Title</h3><h4>Sub</h4><p>Some <strong>bold</strong>, <em>italic</em><br>text</p>'
            '<ul><li>one</li></ul><ol><li>two</li></ol><blockquote>quoted</blockquote>'
            '<p><a href="https://example.com/">site</a> <a href="mailto:me@example.com">mail</a></p>')
    clean = sanitize_html(html)
    for tag in ("<h3>", "<h4>", "<strong>", "<em>", "<br>", "<ul>", "<ol>", "<li>", "<blockquote>"):
        assert tag in clean
    assert '<a href="https://example.com/" rel="noopener">site</a>' in clean
    assert 'href="mailto:me@example.com"' in clean


def test_tags_outside_the_allow_list_keep_their_text_only():
    assert sanitize_html('<h1>Big</h1><div class="x"><span>in</span></div>') == "Bigin"


def test_relative_links_lose_their_href():
    assert "href" not in sanitize_html('<p><a href="/admin/">x</a></p>')


def test_about_section_sanitises_on_clean():
    cleaned = BY_SLUG["about"].clean({"body": '<p style="color:red" onclick="x()">Hi <a href="javascript:x()">a</a>'
                                              '</p><script>alert(1)</script>'})
    assert cleaned["body"] == '<p>Hi <a rel="noopener">a</a></p>'


def test_a_third_party_section_is_one_class(storefront):
    class Quote(Section):
        slug, label, template = "quote", "Quote", "pages/sections/about.html"
        fields = (Field("body", "Text", kind="richtext", required=True, max_length=500),)
        palette_roles = {"panel": "surface"}

    with SECTIONS.register_temporarily(Quote()) as plugin:
        assert SECTIONS.get("quote") is plugin
        assert plugin.clean({"body": "<p>hi<script>x</script></p>"}) == {"body": "<p>hi</p>"}
    assert "quote" not in SECTIONS
