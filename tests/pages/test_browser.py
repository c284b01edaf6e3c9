"""The page builder in headless Chromium: compose four sections (drag and drop and the keyboard buttons),
edit rich text, preview, publish, view the storefront in English and 简体中文; screenshots in var/screenshots/."""

import re

import pytest

from courseplatform.pages import selectors
from tests.conftest import log_in, wait_for
from tests.factories import CourseFactory
from tests.themes.conftest import LIGHT

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def section_types(storefront):
    return [s["type"] for s in selectors.draft_or_latest(storefront).sections]


def test_compose_publish_and_view_a_storefront_page(live_server, new_page, screenshot_dir, creator,  # noqa: F811
                                                    storefront, make_palette):
    storefront.name, storefront.tagline = "Data Dojo", "Learn data by doing"
    storefront.save()
    make_palette(status="active")
    CourseFactory(storefront=storefront, title="Practical Machine Learning", subtitle="From zero to models")
    CourseFactory(storefront=storefront, title="数据可视化实战", subtitle="用 Python 讲好数据故事", language="zh-hans")
    base = live_server.url
    page = new_page()
    log_in(page, base, creator.username)
    editor = f"{base}/studio/storefronts/{storefront.slug}/page/"

    for section_type in ("about", "hero", "faq", "newsletter"):
        page.goto(editor)
        page.select_option("#pe-type", section_type)
        page.click("form[action$='/sections/add/'] button[type=submit]")
        page.wait_for_url(re.compile(r".*/page/sections/\w+/$"))
        if section_type == "about":
            page.fill("textarea[name=body]", '<p>I teach <strong>data</strong>.<script>alert(1)</script></p>'
                                             '<p onclick="alert(2)">Hi <a href="javascript:alert(3)">x</a></p>')
            page.click("main form button[type=submit]")
            page.wait_for_url(editor + "*")
    assert section_types(storefront) == ["about", "hero", "faq", "newsletter"]
    assert "script" not in selectors.draft_or_latest(storefront).sections[0]["data"]["body"]

    # drag and drop: the hero onto the first row
    page.goto(editor)
    page.wait_for_selector("li.pe-section[draggable=true]")
    with page.expect_response(lambda response: response.url.endswith("/sections/reorder/")) as reorder:
        page.drag_and_drop("li.pe-section >> nth=1", "li.pe-section >> nth=0")
    assert reorder.value.ok
    # polled from Python: the page's CSP forbids the eval behind wait_for_function when it has to poll
    wait_for(lambda: "saved" in page.evaluate("() => document.getElementById('pe-status').textContent"), timeout=30)
    assert section_types(storefront) == ["hero", "about", "faq", "newsletter"]
    # the keyboard alternative: focus the newsletter's Up button and press Enter
    page.goto(editor)
    page.focus("li.pe-section >> nth=3 >> button:has-text('Up')")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert section_types(storefront) == ["hero", "about", "newsletter", "faq"]
    page.screenshot(path=str(screenshot_dir / "pages-1-editor.png"), full_page=True)

    candidate = make_palette(status="approved", colors={**LIGHT, "primary": "#6a1b9a"})
    page.goto(f"{base}/studio/storefronts/{storefront.slug}/page/preview/?palette={candidate.pk}")
    hero = page.evaluate("getComputedStyle(document.querySelector('.page-preview .pg-hero')).backgroundColor")
    assert hero == "rgb(106, 27, 154)"  # the candidate's primary, scoped under .pv-<id>
    page.screenshot(path=str(screenshot_dir / "pages-2-preview-candidate-palette.png"), full_page=True)
    page.goto(editor)
    page.click("form[action$='/publish/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert selectors.published_version(storefront).number == 1

    visitor = new_page()
    visitor.goto(f"{base}/s/{storefront.slug}/")
    order = visitor.eval_on_selector_all("section.pg", "els => els.map(e => e.className)")
    assert [c.split()[1] for c in order] == ["pg-hero", "pg-about", "pg-newsletter", "pg-faq"]
    primary = visitor.evaluate("getComputedStyle(document.querySelector('.pg-hero')).backgroundColor")
    assert primary == "rgb(30, 136, 229)"  # the active palette's primary (#1e88e5)
    visitor.screenshot(path=str(screenshot_dir / "pages-3-storefront-en.png"), full_page=True)
    visitor.fill("input[name=email]", "fan@example.com")
    visitor.click("form.pg-signup button[type=submit]")
    visitor.wait_for_load_state("networkidle")
    assert storefront.newsletter_signups.filter(email="fan@example.com").exists()

    visitor.select_option("select[name=language]", "zh-hans")
    visitor.click("form.lang button[type=submit]")
    visitor.wait_for_url(f"**/zh-hans/s/{storefront.slug}/")
    assert visitor.evaluate("document.documentElement.lang") == "zh-hans"
    visitor.screenshot(path=str(screenshot_dir / "pages-4-storefront-zh-hans.png"), full_page=True)

    for p in (page, visitor):
        assert p.csp_violations == [], p.csp_violations


PHONE = {"width": 375, "height": 812}


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_analytics_and_the_page_builder_fit_a_375px_phone(live_server, new_page, screenshot_dir, creator,
                                                           storefront, build_page):
    from django.urls import reverse

    CourseFactory(storefront=storefront, title="Practical Machine Learning")
    sections = build_page("faq", "testimonials")
    base = live_server.url
    page = new_page()
    log_in(page, base, creator.username)
    page.set_viewport_size(PHONE)
    urls = [reverse("experiments:analytics", args=[storefront.slug]), reverse("pages:editor", args=[storefront.slug])]
    urls += [reverse("pages:section_edit", args=[storefront.slug, s["id"]]) for s in sections]
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        assert _page_width(page) <= PHONE["width"] + 1, url
    page.goto(base + urls[0])
    page.wait_for_load_state("networkidle")
    chart = page.eval_on_selector("img.chart", "img => [img.complete, img.naturalWidth, img.clientWidth]")
    assert chart[0] and chart[1] > 0 and chart[2] <= PHONE["width"]  # loaded, and scaled down to the column
    page.screenshot(path=str(screenshot_dir / "pages-5-analytics-375px.png"), full_page=True)
    page.goto(base + urls[2])
    items = page.eval_on_selector_all("fieldset.pe-row", "els => els.map(e => e.getBoundingClientRect().right)")
    assert items and max(items) <= PHONE["width"]
    page.screenshot(path=str(screenshot_dir / "pages-6-faq-items-375px.png"), full_page=True)
    assert page.csp_violations == [], page.csp_violations


def test_the_recommender_table_keeps_words_and_numbers_whole_at_1280px(live_server, new_page, staff):
    from recommender.models import ModelVersion

    metrics = {"ndcg@10": 0.08171234, "recall@10": 0.1523, "recall@20": 0.2311, "map@10": 0.0412,
               "auc": 0.9123, "coverage@10": 0.3141,
               "engagement": {"roc_auc": 0.812, "pr_auc": 0.233, "n": 1200, "positives": 87}}
    for algorithm in ("itemknn", "ials", "bpr", "ease"):
        ModelVersion.objects.create(algorithm=algorithm, metrics=metrics, interaction_count=123456, device="cuda:0",
                                    duration_s=12.3456, feed_count=10, note="a long note " * 5)
    page = new_page()
    log_in(page, live_server.url, staff.username)
    page.goto(f"{live_server.url}/staff/recommender/")
    assert _page_width(page) <= 1281
    # every header and numeric cell is one line: a word or number broken mid-way would take two
    broken = page.evaluate("""() => [...document.querySelectorAll('table.data th, table.data .num')].filter(el => {
        const range = document.createRange(); range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        return tops.size > 1; }).map(el => el.textContent.trim())""")
    assert broken == [], broken
    scroller = page.eval_on_selector("table.data", "t => getComputedStyle(t.parentElement).overflowX")
    assert scroller == "auto"  # too wide a table scrolls inside its wrapper, not the page
