"""Issue 22, item 3: a page's section cache is keyed by the normalised input the section used, and a section that
failed is never cached (one odd request must not empty the storefront for everyone)."""

import pytest

from courseplatform.pages.sections import Section
from tests.factories import CategoryFactory, CourseFactory
from themes.plugins import SECTIONS

pytestmark = pytest.mark.django_db


def grid(client, storefront, query=""):
    response = client.get(storefront.get_absolute_url() + query)
    assert response.status_code in (200, 400)
    html = response.content.decode()
    return html.split('class="pg pg-grid"')[1] if 'class="pg pg-grid"' in html else None


@pytest.mark.parametrize("query", ["?category=%2B", "?category=business%00", "?category=%C2%B2",
                                   "?category=business%0D%0A", "?category=" + "b" * 80])
def test_an_odd_category_filter_never_empties_the_grid_for_other_visitors(client, storefront, build_page, query):
    business = CategoryFactory(slug="business", name="Business")
    CourseFactory(storefront=storefront, title="Ledger basics", category=business)
    CourseFactory(storefront=storefront, title="Watercolour")
    build_page("course_grid", publish=True)
    grid(client, storefront, query)  # the attacker's request, first after the publish
    everyone = grid(client, storefront)
    assert "Ledger basics" in everyone and "Watercolour" in everyone
    chosen = grid(client, storefront, "?category=business")
    assert "Ledger basics" in chosen and "Watercolour" not in chosen


def test_a_filtered_grid_shows_what_its_cache_key_says(client, storefront, build_page):
    """The normalised filter is what the grid used: '+' is no slug, so it means no filter (all courses)."""
    CourseFactory(storefront=storefront, title="Watercolour")
    build_page("course_grid", publish=True)
    assert "Watercolour" in grid(client, storefront, "?category=%2B")
    assert "Watercolour" in grid(client, storefront)


def test_a_section_that_failed_once_is_rendered_again_not_served_empty_from_the_cache(client, storefront,
                                                                                        build_page):
    calls = []

    class Flaky(Section):
        slug, label, template = "flaky", "Flaky", "pages/sections/about.html"
        palette_roles = {"panel": "surface"}

        def cache_variant(self, data, request):
            return ""

        def context(self, data, ctx):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("a database hiccup")
            return {"data": {"body": "Recovered text"}}

    with SECTIONS.register_temporarily(Flaky()):
        build_page("flaky", publish=True)
        first = client.get(storefront.get_absolute_url()).content.decode()
        assert "Recovered text" not in first
        second = client.get(storefront.get_absolute_url()).content.decode()
        third = client.get(storefront.get_absolute_url()).content.decode()
    assert "Recovered text" in second and "Recovered text" in third
    assert len(calls) == 2  # rendered again after the failure, then served from the cache
