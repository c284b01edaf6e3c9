"""In headless Chromium: search, filter, sort, back button, autocomplete by keyboard, wishlist a course and find
it on the wishlist page; the click beacon logs the opened result; axe finds no serious or critical violation
and the CSP blocks nothing."""

import re

import pytest

from courseplatform.search.models import SavedCourse, SearchClick
from tests.conftest import log_in, wait_for
from tests.e2e.accessibility import BLOCKING, axe_context, run_axe
from tests.factories import UserFactory
from tests.search import corpus as corpus_module

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _titles(page) -> list[str]:
    return page.locator("li.result h3").all_inner_texts()


def _blocking(page) -> list[str]:
    return [f"{v['id']}: {n['target']}" for v in run_axe(page) if v["impact"] in BLOCKING for n in v["nodes"]]


def test_search_filter_sort_autocomplete_and_wishlist(live_server, browser):
    courses = corpus_module.build()
    learner = UserFactory(username="searcher")
    base = live_server.url
    context = axe_context(browser)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, base, learner.username)

    # search from the catalogue's box
    page.goto(f"{base}/")
    page.fill("main form[role=search] input[name=q]", "python")
    page.press("main form[role=search] input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=python"))
    assert page.locator("#results-title").inner_text() == "7 courses"
    assert set(_titles(page)) >= {"Python for Beginners", "Machine Learning with Python"}
    assert not _blocking(page), _blocking(page)

    # filter (the form keeps the query), then sort; the URL holds the state
    page.select_option("select[name=level]", "beginner")
    page.click("#search-form button[type=submit]")
    page.wait_for_url(re.compile(r"level=beginner"))
    assert set(_titles(page)) == {"Python for Beginners", "Python编程基础", "Data Analysis with Pandas"}
    page.select_option("select[name=level]", "")
    page.select_option("select[name=sort]", "price_desc")
    page.click("#search-form button[type=submit]")
    page.wait_for_url(re.compile(r"sort=price_desc"))
    prices = page.locator("li.result .price").all_inner_texts()
    assert prices[0] == "$99.00" and prices[-1] == "Free"
    # a facet link narrows by language; the back button returns to the sorted list
    page.click(".facet a:has-text('Simplified Chinese')")
    page.wait_for_url(re.compile(r"language=zh-hans"))
    assert len(_titles(page)) == 2
    page.go_back()
    page.wait_for_url(re.compile(r"sort=price_desc$"))
    assert len(_titles(page)) == 7

    # autocomplete with the keyboard only: type, arrow down, Enter opens the suggestion
    combobox = page.locator("#search-q")
    combobox.fill("")
    combobox.press_sequentially("desi", delay=50)
    page.wait_for_selector("#search-suggestions [role=option]")
    assert combobox.get_attribute("aria-expanded") == "true"
    combobox.press("ArrowDown")
    active = combobox.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    assert page.locator(f"#{active}").inner_text().startswith("Design")
    combobox.press("Enter")
    page.wait_for_url(re.compile(r"category=design"))
    assert "Graphic Design Basics" in _titles(page)
    combobox = page.locator("#search-q")
    combobox.press_sequentially("机器", delay=50)
    page.wait_for_selector("#search-suggestions [role=option]")
    combobox.press("Escape")
    assert combobox.get_attribute("aria-expanded") == "false"

    # wishlist a course from its card (a plain POST form), come back to the same results
    page.goto(f"{base}/search/?q=django")
    page.locator("li.result").first.locator("button.wishlist").click()
    page.wait_for_url(re.compile(r"/search/\?q=django$"))
    assert page.locator("li.result button.wishlist.saved").count() == 1
    assert SavedCourse.objects.filter(user=learner, course=courses["django"]).exists()
    page.goto(f"{base}/wishlist/")
    assert "Django Web Development" in page.locator("main").inner_text()
    assert not _blocking(page), _blocking(page)

    # opening a result sends the click beacon
    page.goto(f"{base}/search/?q=javascript")
    page.locator("li.result h3 a").first.click()
    page.wait_for_url(re.compile(r"/courses/\d+/"))
    click = wait_for(lambda: SearchClick.objects.filter(log__user=learner).first(), timeout=15)
    assert click.position == 1 and click.course == courses["js"]
    assert violations == []
    context.close()
