"""/api/docs: Swagger UI for the OpenAPI schema, every file served by this site under its CSP."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_api_docs_page_loads_swagger_ui_from_this_site_with_no_inline_script(client):
    page = client.get("/api/docs")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert len(sources) == 3 and all(src.startswith("/") for src in sources)  # no CDN
    assert "<script>" not in html  # the init script is its own request (CSP: script-src 'self')
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "<style" not in html
    for src in sources[:2]:
        assert finders.find(src.removeprefix("/static/")), src


def test_the_docs_init_script_points_at_the_schema(client):
    script = client.get("/api/docs?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema" in script.content.decode()
    assert client.get("/api/schema").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_the_api_in_a_browser_with_no_script_blocked(live_server, new_page, screenshot_dir):
    page = new_page()
    page.goto(f"{live_server.url}/api/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert "Course platform API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("[data-path=\"/api/events\"]")
    page.wait_for_selector("[data-path=\"/api/feed\"]")
    page.screenshot(path=str(screenshot_dir / "api-docs.png"))
    # Swagger UI sets a few inline style attributes the CSP refuses (cosmetic); nothing else may be blocked
    assert [v for v in page.csp_violations if not v.startswith("style-src")] == []
