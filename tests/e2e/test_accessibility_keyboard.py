"""Keyboard-only walkthroughs (Tab, Shift+Tab, Enter, Space; typing into fields) of enrolment and of the palette
review, in headless Chromium: every control on the way is reachable and visibly focused, nothing needs a mouse."""

import pytest

from courseplatform.catalog.models import Enrollment
from tests.e2e.accessibility import PASSWORD, axe_context, seed_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120
FOCUSED = """() => { const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim(),
          name: el.getAttribute('name') || '', href: el.getAttribute('href') || '', visible: el.matches(':focus-visible')}; }"""


def tab_to(page, matches, what: str) -> dict:
    """Press Tab until the focused element satisfies ``matches``; fail (naming ``what``) if it never does."""
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            assert focused["visible"], f"{what} has focus but no visible focus indicator (:focus-visible)"
            return focused
        seen.append(f"{focused['tag']}:{focused['text'][:30]}")
    raise AssertionError(f"{what} was not reached with {MAX_TABS} Tab presses; focus went through {seen}")


def keyboard_log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    tab_to(page, lambda f: f["name"] == "username", "the user name field")
    page.keyboard.type(username)
    tab_to(page, lambda f: f["name"] == "password", "the password field")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_enrolment_by_keyboard_only(live_server, browser):
    world = seed_world()
    course = world.courses[2]  # not yet enrolled
    context = axe_context(browser)
    try:
        page = context.new_page()
        keyboard_log_in(page, live_server.url, world.learner.username)
        page.goto(f"{live_server.url}/?q={course.title}")
        tab_to(page, lambda f: f["tag"] == "a" and f["text"] == course.title, f"the link to {course.title!r}")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.url.endswith(f"/courses/{course.pk}/")
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Enrol now", "the Enrol now button")
        with page.expect_navigation():
            page.keyboard.press("Space")
        assert Enrollment.objects.filter(learner=world.learner, course=course).exists()
        assert "You are enrolled" in page.inner_text("main")
        # the review form that now appears works from the keyboard too (the rating starts at five stars)
        tab_to(page, lambda f: f["name"] == "rating", "the rating field")
        tab_to(page, lambda f: f["name"] == "text", "the review text")
        page.keyboard.type("Clear, kind, keyboard friendly.")
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Submit review", "the Submit review button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        review = course.reviews.get(learner=world.learner)
        assert (review.rating, review.text) == (5, "Clear, kind, keyboard friendly.")
    finally:
        context.close()


def test_palette_review_approve_by_keyboard_only(live_server, browser):
    world = seed_world()
    context = axe_context(browser)
    try:
        page = context.new_page()
        keyboard_log_in(page, live_server.url, world.reviewer.username)
        page.goto(f"{live_server.url}/staff/palettes/")
        tab_to(page, lambda f: f["tag"] == "textarea" and f["name"] == "note", "the note to the creator")
        page.keyboard.type("Readable in both variants.")
        tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Approve", "the Approve button")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        world.submitted.refresh_from_db()
        assert world.submitted.status == "approved"
        assert world.submitted.transitions.last().note == "Readable in both variants."
        assert "Palette approved." in page.inner_text("body")
    finally:
        context.close()


def test_the_first_tab_stop_skips_the_header_to_the_pages_content(live_server, browser):
    world = seed_world()
    context = axe_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/courses/{world.courses[0].pk}/")
        page.keyboard.press("Tab")
        first = page.evaluate(FOCUSED)
        assert first["href"] == "#main" and first["text"] == "Skip to content" and first["visible"]
        assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0  # shown while focused
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        page.keyboard.press("Tab")  # the next stop is in the page's content, past the header's links
        assert page.evaluate("document.activeElement.closest('main') !== null")
    finally:
        context.close()
