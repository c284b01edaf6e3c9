"""Bad input at the HTTP level: hostile logo uploads through the storefront editor, oversized bodies, and the
log-in throttle. (The form-level upload tests are tests/catalog/test_forms.py; ``check --deploy`` is
tests/test_settings.py.)"""

import io
import json
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from courseplatform.catalog.models import Storefront
from tests.factories import CreatorFactory, StorefrontFactory, UserFactory

pytestmark = pytest.mark.django_db


def _image(fmt="PNG", size=(64, 64), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (30, 136, 229)).save(out, format=fmt)
    return out.getvalue()


def _bomb() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
            + chunk(b"IEND", b""))


HOSTILE_LOGOS = {
    "html-renamed-png": ("evil.png", b"<html><script>alert(1)</script></html>", "image/png"),
    "svg": ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "image/svg+xml"),
    "gif-renamed-png": ("anim.png", _image("GIF"), "image/png"),
    "pixel-flood": ("bomb.png", _bomb(), "image/png"),
    "truncated-jpeg": ("cut.jpg", _image("JPEG", (300, 300))[:400], "image/jpeg"),
    "too-wide": ("wide.png", _image(size=(5000, 10)), "image/png"),
    "over-5-mb": ("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (5 * 1024 * 1024 + 1), "image/png"),
}


@pytest.fixture
def owner_client():
    creator = CreatorFactory()
    storefront = StorefrontFactory(owner=creator, slug="mine")
    client = Client()
    client.force_login(creator)
    return client, storefront


@pytest.mark.parametrize("kind", sorted(HOSTILE_LOGOS))
def test_hostile_logo_uploads_are_refused_by_the_storefront_editor_and_nothing_is_stored(owner_client, kind,
                                                                                         settings):
    client, storefront = owner_client
    name, data, content_type = HOSTILE_LOGOS[kind]
    before = {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()} if settings.MEDIA_ROOT.exists() else set()
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), {
        "name": "Renamed", "slug": storefront.slug, "tagline": "", "brand_keywords_text": "tech",
        "brand_colors_text": "#1e88e5", "logo": SimpleUploadedFile(name, data, content_type)})
    assert response.status_code == 200, "the form again, not a redirect and never a 500"
    assert "logo" in response.context["form"].errors
    storefront.refresh_from_db()
    assert storefront.name != "Renamed" and not storefront.logo
    after = {p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()} if settings.MEDIA_ROOT.exists() else set()
    assert after == before, "nothing written to media"


def test_a_valid_logo_is_stored_re_encoded_under_a_random_name(owner_client):
    client, storefront = owner_client
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), {
        "name": "Renamed", "slug": storefront.slug, "tagline": "", "brand_keywords_text": "tech",
        "brand_colors_text": "#1e88e5", "logo": SimpleUploadedFile("my holiday.jpg", _image("JPEG"), "image/jpeg")})
    assert response.status_code == 302
    storefront.refresh_from_db()
    assert storefront.logo.name.endswith(".png") and "holiday" not in storefront.logo.name


def test_a_png_html_polyglot_is_stored_only_as_a_clean_re_encoded_png(owner_client):
    client, storefront = owner_client
    polyglot = _image() + b"<html><script>alert(1)</script></html>"
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), {
        "name": "Renamed", "slug": storefront.slug, "tagline": "", "brand_keywords_text": "tech",
        "brand_colors_text": "#1e88e5", "logo": SimpleUploadedFile("poly.png", polyglot, "image/png")})
    assert response.status_code == 302
    storefront.refresh_from_db()
    stored = storefront.logo.read()
    assert stored.startswith(b"\x89PNG") and b"<script" not in stored and b"<html" not in stored


TEN_MB = 10 * 1024 * 1024


def test_a_10_mb_form_body_is_a_400_not_a_500(owner_client):
    client, storefront = owner_client
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]),
                           {"name": "x" * TEN_MB, "slug": storefront.slug})
    assert response.status_code in (400, 413)
    assert not Storefront.objects.filter(name__startswith="xxx").exists()


def test_a_10_mb_json_body_to_the_events_api_is_a_400_not_a_500():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    body = json.dumps({"events": [{"event_id": "x" * 1000}] * (TEN_MB // 1000)})
    response = client.post("/api/events", body, content_type="application/json")
    assert response.status_code in (400, 413), response.status_code


def test_too_many_form_fields_is_a_400_not_a_500(owner_client):
    client, storefront = owner_client
    client.raise_request_exception = False
    data = {f"f{i}": "1" for i in range(2000)}
    response = client.post(reverse("catalog:studio_storefront", args=[storefront.slug]), data)
    assert response.status_code == 400
