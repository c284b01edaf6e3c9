"""Layout checks in headless Chromium (issue 19 item 6): the palette job page fits a 375 px phone, the compare
view puts candidates side by side on a desktop, and checkboxes sit beside their labels."""

import pytest

from tests.e2e.accessibility import log_in, seed_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => !e.closest('.table-scroll') || e.matches('.table-scroll'))
  .map(e => [Math.round(e.getBoundingClientRect().right), e.tagName.toLowerCase() + '.' + e.className])
  .sort((a, b) => b[0] - a[0]).slice(0, 3)"""


def test_palette_pages_fit_a_375_px_phone(live_server, browser):
    world = seed_world()
    context = browser.new_context(viewport={"width": 375, "height": 800})
    try:
        page = context.new_page()
        log_in(page, live_server.url, world.creator.username)
        first, second, third = world.job.palettes.order_by("rank")
        for path in (f"/studio/palette-jobs/{world.job.pk}/",
                     f"/studio/palette-jobs/{world.job.pk}/compare/?ids={first.pk}&ids={third.pk}",
                     f"/studio/storefronts/{world.storefront.slug}/palettes/",
                     f"/s/{world.storefront.slug}/style-guide/"):
            page.goto(live_server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width, page.evaluate(WIDEST))
    finally:
        context.close()


def test_compare_view_shows_candidates_in_columns_on_a_desktop(live_server, browser):
    world = seed_world()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, live_server.url, world.creator.username)
        page.goto(f"{live_server.url}/studio/palette-jobs/{world.job.pk}/")
        boxes = page.locator("input[name=ids]")
        assert boxes.count() == 3
        for i in (0, 2):  # tick two with their labels, as a person would
            page.click(f"label[for='{boxes.nth(i).get_attribute('id')}']")
        with page.expect_navigation():
            page.click("#compare-form button[type=submit]")
        columns = page.locator("section.compare-column")
        assert columns.count() == 2
        left, right = (columns.nth(i).bounding_box() for i in (0, 1))
        assert abs(left["y"] - right["y"]) < 2 and right["x"] >= left["x"] + left["width"], (left, right)
        first, second, third = world.job.palettes.order_by("rank")  # three: every figure in view, none scrolled to
        page.goto(f"{live_server.url}/studio/palette-jobs/{world.job.pk}/compare/?ids={first.pk}&ids={second.pk}"
                  f"&ids={third.pk}")
        widths = page.evaluate("[...document.querySelectorAll('table.compare-scores, table.compare-contrast')]"
                               ".map(t => [t.parentElement.scrollWidth, t.parentElement.clientWidth])")
        assert len(widths) == 2 and all(scroll <= client for scroll, client in widths), widths
    finally:
        context.close()


def test_checkboxes_sit_beside_their_labels(live_server, browser):
    world = seed_world()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, live_server.url, world.creator.username)
        for path, box in ((f"/studio/storefronts/{world.storefront.slug}/palettes/", "#id_lock_1"),
                          (f"/studio/palette-jobs/{world.job.pk}/", "input[name=ids]")):
            page.goto(live_server.url + path)
            checkbox = page.locator(box).first
            label = page.locator(f"label[for='{checkbox.get_attribute('id')}']")
            c, lab = checkbox.bounding_box(), label.bounding_box()
            gap = max(c["x"] - (lab["x"] + lab["width"]), lab["x"] - (c["x"] + c["width"]))
            same_line = abs((c["y"] + c["height"] / 2) - (lab["y"] + lab["height"] / 2)) < 12
            assert same_line and gap < 24, (path, c, lab)
    finally:
        context.close()


def test_a_whole_catalogue_card_opens_its_course_and_its_own_controls_stay_clickable(live_server, browser):
    world = seed_world()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        log_in(page, live_server.url, world.learner.username)
        page.goto(f"{live_server.url}/learning/")
        card = page.locator("article.card").first
        # what a click at the middle of an element's first line box would land on
        hit = """(el) => { const r = el.getClientRects()[0];
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return {tag: top.tagName.toLowerCase(), href: (top.closest('a') || {}).href || ''}; }"""
        on_cover = card.locator("img").evaluate(hit)
        title_href = card.locator("h2 a").get_attribute("href")
        assert on_cover["href"].endswith(title_href), on_cover  # the title link covers the whole card
        on_link = card.locator(".review-state a").evaluate(hit)
        assert on_link["href"].endswith("#review"), on_link  # the card's own link is above the overlay
        page.goto(f"{live_server.url}/")  # catalogue cards carry a wishlist button
        button = page.locator("article.card .body button").first
        assert button.evaluate(hit)["tag"] in ("button", "span")
    finally:
        context.close()
