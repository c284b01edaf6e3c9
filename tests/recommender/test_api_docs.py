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
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    for src in sources[:2]:
        assert finders.find(src.removeprefix("/static/")), src


def test_the_docs_init_script_points_at_the_schema(client):
    script = client.get("/api/docs?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema" in script.content.decode()
    assert client.get("/api/schema").status_code == 200
