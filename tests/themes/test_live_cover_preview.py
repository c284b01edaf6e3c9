"""The course form's live cover preview: the storefront-scoped preview URL (title and subtitle as typed, new
courses too), its edge validation and permissions, the picker markup, and the script in a real browser."""

import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from PIL import Image

from courseplatform.catalog.models import Course
from tests.conftest import log_in
from tests.factories import CategoryFactory, CourseFactory, StorefrontFactory
from themes import cover_store
from themes.plugins import COVER_LAYOUTS

pytestmark = pytest.mark.django_db

TITLE_MAX = Course._meta.get_field("title").max_length
SUBTITLE_MAX = Course._meta.get_field("subtitle").max_length


def _live(client, storefront, **params):
    return client.get(reverse("themes:cover_live_preview", args=[storefront.slug]), params)


def _webp_size(data: bytes) -> tuple[int, int]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def test_the_owner_gets_a_webp_of_the_typed_title_in_every_layout(client, creator, storefront):
    client.force_login(creator)
    previews = {}
    for layout in COVER_LAYOUTS.keys():
        response = _live(client, storefront, layout=layout, title="Practical Machine Learning",
                         subtitle="From zero to models")
        assert response.status_code == 200, layout
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, max-age=60"
        assert _webp_size(response.content) == cover_store.SIZES["thumb"]
        previews[layout] = response.content
    assert len(set(previews.values())) == len(previews) >= 3


@pytest.mark.parametrize("layout", COVER_LAYOUTS.keys())
def test_the_preview_follows_the_title_and_is_deterministic(client, creator, storefront, layout):
    client.force_login(creator)
    first = _live(client, storefront, layout=layout, title="Data Science 101").content
    again = _live(client, storefront, layout=layout, title="Data Science 101").content
    other = _live(client, storefront, layout=layout, title="Data Science 102").content
    subtitled = _live(client, storefront, layout=layout, title="Data Science 101", subtitle="Hands on").content
    assert first == again
    assert other != first and subtitled != first
    chinese = _live(client, storefront, layout=layout, title="数据可视化实战")
    assert chinese.status_code == 200 and chinese.content != first


def test_with_the_saved_values_it_shows_what_the_saved_course_preview_shows(client, creator, course):
    client.force_login(creator)
    for layout in COVER_LAYOUTS.keys():
        saved = client.get(reverse("themes:cover_preview", args=[course.pk]), {"layout": layout}).content
        live = _live(client, course.storefront, layout=layout, title=course.title, subtitle=course.subtitle,
                     course=course.pk).content
        assert live == saved, layout
    # the cover the course gets once saved in that layout is the same picture
    stored = cover_store.cover_for(course, "thumb").path.read_bytes()
    live = _live(client, course.storefront, layout=cover_store.layout_for(course), title=course.title,
                 subtitle=course.subtitle, course=course.pk).content
    assert live == stored


def test_the_category_picked_in_the_form_is_drawn(client, creator, storefront):
    client.force_login(creator)
    a, b = CategoryFactory(name="Design"), CategoryFactory(name="Programming")
    base = _live(client, storefront, layout="gradient-band", title="Title").content
    with_a = _live(client, storefront, layout="gradient-band", title="Title", category=a.pk).content
    with_b = _live(client, storefront, layout="gradient-band", title="Title", category=b.pk).content
    assert len({base, with_a, with_b}) == 3
    for bad in ("nope", "99999", str(2**63)):
        assert _live(client, storefront, layout="gradient-band", title="Title", category=bad).status_code == 400


def test_other_creators_learners_and_visitors_cannot_use_it(client, storefront, other_creator, learner, staff):
    url = reverse("themes:cover_live_preview", args=[storefront.slug]) + "?layout=split&title=Hi"
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(other_creator)
    assert client.get(url).status_code == 404  # another creator's storefront is not revealed
    StorefrontFactory(owner=other_creator, slug="theirs")
    assert client.get(url).status_code == 404
    client.force_login(staff)
    assert client.get(url).status_code == 404  # studio views are the owner's (as the saved-course preview)
    assert client.post(url).status_code in (403, 404, 405)


def test_a_course_from_another_storefront_is_not_revealed(client, creator, storefront, other_creator):
    client.force_login(creator)
    theirs = CourseFactory(storefront=StorefrontFactory(owner=other_creator))
    mine_elsewhere = CourseFactory(storefront=StorefrontFactory(owner=creator))
    for course in (theirs, mine_elsewhere):
        assert _live(client, storefront, layout="split", title="Hi", course=course.pk).status_code == 404
    for bad in ("abc", "0", "-1", str(2**63)):
        assert _live(client, storefront, layout="split", title="Hi", course=bad).status_code == 400, bad


@pytest.mark.parametrize("layout", ["no-such-layout", "", "../split", "SPLIT", "x" * 500])
def test_an_unknown_layout_is_refused(client, creator, storefront, layout):
    client.force_login(creator)
    assert _live(client, storefront, layout=layout, title="Hi").status_code == 404
    assert client.get(reverse("themes:cover_live_preview", args=[storefront.slug])).status_code == 404


def test_a_title_or_subtitle_longer_than_the_course_allows_is_a_400_with_a_message(client, creator, storefront):
    client.force_login(creator)
    assert _live(client, storefront, layout="split", title="A" * TITLE_MAX).status_code == 200
    assert _live(client, storefront, layout="split", title="A" * 50, subtitle="B" * SUBTITLE_MAX).status_code == 200
    for params in ({"title": "A" * (TITLE_MAX + 1)}, {"title": "A" * 500}, {"title": "Hi", "subtitle": "B" * 201}):
        response = _live(client, storefront, layout="split", **params)
        assert response.status_code == 400, params
        assert response["Content-Type"].startswith("text/plain")
        message = response.content.decode()
        assert "at most" in message and ("Title" in message or "Subtitle" in message), message


def test_the_limits_and_cleaning_are_the_course_forms(client, creator, storefront):
    """Control characters are dropped as the course form drops them before saving; whitespace is trimmed."""
    client.force_login(creator)
    clean = _live(client, storefront, layout="split", title="Data Science", subtitle="Intro").content
    dirty = _live(client, storefront, layout="split", title="  Data\x07 Sci\x1bence\x7f ",
                  subtitle="\x01Intro\x02").content
    assert dirty == clean
    # like the form: the raw value counts towards max_length, and NUL is refused, never a 500
    assert _live(client, storefront, layout="split", title="A" * TITLE_MAX + "\x07").status_code == 400
    assert _live(client, storefront, layout="split", title="Hi\x00").status_code == 400


@pytest.mark.parametrize("title", ["", "   ", "\U0001F680\U0001F525", "مرحبا بالعالم", "\u202eevil\u202c",
                                   "Mixed 中文 and English \U0001F4AF"])
def test_awkward_titles_render(client, creator, storefront, title):
    client.force_login(creator)
    response = _live(client, storefront, layout="geometric" if "geometric" in COVER_LAYOUTS else "split",
                     title=title)
    assert response.status_code == 200
    assert _webp_size(response.content) == cover_store.SIZES["thumb"]


def _img_srcs(page: str) -> list[str]:
    return re.findall(r'<img class="cover" data-layout="[^"]+"[^>]*\ssrc="([^"]+)"', page)


def test_the_new_course_form_previews_every_layout_and_loads_the_script(client, creator, storefront):
    client.force_login(creator)
    page = client.get(reverse("catalog:studio_course_new", args=[storefront.slug])).content.decode()
    live = reverse("themes:cover_live_preview", args=[storefront.slug])
    assert 'id="cover-picker"' in page and f'data-preview-url="{live}"' in page
    assert re.search(r'<script src="[^"]*/js/cover-preview\.js" defer></script>', page)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script (strict CSP)
    srcs = [s.replace("&amp;", "&") for s in _img_srcs(page)]
    assert len(srcs) == len(COVER_LAYOUTS.keys()) + 1  # the storefront default, then each layout
    layouts = []
    for src in srcs:
        parts = urlsplit(src)
        assert parts.path == live
        query = parse_qs(parts.query)
        assert query["title"] == ["Your course title"]  # the placeholder until a title is typed
        layouts.append(query["layout"][0])
        assert client.get(src).status_code == 200
    assert layouts[0] == storefront.default_cover_layout and layouts[1:] == COVER_LAYOUTS.keys()
    # radio buttons tied to the form's cover_layout field, the storefront default checked
    radios = re.findall(r'<input type="radio" name="cover_layout" value="([^"]*)"[^>]*>', page)
    assert radios == ["", *COVER_LAYOUTS.keys()]
    assert re.search(r'<input type="radio" name="cover_layout" value=""[^>]*checked', page)


def test_a_re_shown_new_course_form_previews_what_was_typed(client, creator, storefront):
    client.force_login(creator)
    category = CategoryFactory()
    response = client.post(reverse("catalog:studio_course_new", args=[storefront.slug]),
                           {"title": "Typed & kept", "subtitle": "Sub", "category": category.pk, "price": "-5",
                            "level": "beginner", "language": "en", "cover_layout": "split"})
    assert response.status_code == 200  # the negative price is refused, the form is shown again
    page = response.content.decode()
    query = parse_qs(urlsplit(_img_srcs(page)[0].replace("&amp;", "&")).query)
    assert query["title"] == ["Typed & kept"] and query["subtitle"] == ["Sub"]
    assert query["category"] == [str(category.pk)]
    assert re.search(r'<input type="radio" name="cover_layout" value="split"[^>]*checked', page)


def test_the_edit_form_previews_the_saved_course_without_javascript(client, creator, course):
    client.force_login(creator)
    page = client.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    assert f'data-course="{course.pk}"' in page and 'id="cover-picker"' in page
    saved = reverse("themes:cover_preview", args=[course.pk])
    for layout in COVER_LAYOUTS.keys():
        assert f"{saved}?layout={layout}" in page
    assert "js/cover-preview.js" in page


def test_the_picked_layout_is_saved_for_a_new_course(client, creator, storefront):
    client.force_login(creator)
    category = CategoryFactory()
    response = client.post(reverse("catalog:studio_course_new", args=[storefront.slug]),
                           {"title": "Layouts", "subtitle": "", "category": category.pk, "price": "0",
                            "level": "beginner", "language": "en", "cover_layout": "split"})
    assert response.status_code == 302
    assert Course.objects.get(title="Layouts").cover_layout == "split"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_typing_a_title_updates_the_previews(live_server, new_page, screenshot_dir, creator, storefront):
    page = new_page()
    log_in(page, live_server.url, creator.username)
    page.goto(f"{live_server.url}/studio/storefronts/{storefront.slug}/courses/new/")
    first = page.locator("#cover-picker img >> nth=1")
    before = first.get_attribute("src")
    assert "title=Your+course+title" in before or "title=Your%20course%20title" in before
    page.fill("input[name=title]", "Deep Learning 数据")
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#cover-picker img')).every(i => i.src.includes('Deep+Learning'))",
        timeout=5000)
    after = first.get_attribute("src")
    assert after != before and parse_qs(urlsplit(after).query)["title"] == ["Deep Learning 数据"]
    page.locator("#cover-picker").scroll_into_view_if_needed()  # the previews load lazily
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('#cover-picker img'))"
        ".every(i => i.complete && i.naturalWidth === 480)", timeout=15000)
    page.check("input[name=cover_layout][value=split]")
    assert page.is_checked("input[name=cover_layout][value=split]")
    assert page.csp_violations == []
    page.locator("#cover-picker").screenshot(path=str(screenshot_dir / "covers-live-preview.png"))


def test_the_chinese_form_previews_a_chinese_placeholder(client, creator, storefront):
    from django.utils import translation

    client.force_login(creator)
    with translation.override("zh-hans"):
        url = reverse("catalog:studio_course_new", args=[storefront.slug])
    assert url.startswith("/zh-hans/")
    page = client.get(url).content.decode()
    src = _img_srcs(page)[0].replace("&amp;", "&")
    assert src.startswith("/zh-hans/") and parse_qs(urlsplit(src).query)["title"] == ["你的课程标题"]
    response = client.get(src)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert 'data-placeholder="你的课程标题"' in page
