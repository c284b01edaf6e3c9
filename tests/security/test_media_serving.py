"""Uploaded logos are served in production (no DEBUG), confined to MEDIA_ROOT, and replaced ones are deleted."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courseplatform.catalog import services

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (32, 32), (30, 136, 229, 255)).save(out, format="PNG")
    return out.getvalue()


def _upload_logo(storefront, name="logo.png"):
    services.storefront_update(storefront=storefront, actor=storefront.owner,
                               data={"logo": SimpleUploadedFile(name, _png(), content_type="image/png")})
    storefront.refresh_from_db()
    return storefront.logo


def test_an_uploaded_logo_is_served_without_debug(client, storefront, settings):
    assert not settings.DEBUG
    logo = _upload_logo(storefront)
    response = client.get(logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == logo.storage.open(logo.name).read()


@pytest.mark.parametrize("path", ["/media/../courseplatform/settings/base.py", "/media/%2e%2e/manage.py",
                                  "/media/logos/missing.png", "/media/notes.txt"])
def test_only_image_files_inside_media_root_are_served(client, path):
    assert client.get(path).status_code == 404


def test_media_is_read_only(client, storefront):
    logo = _upload_logo(storefront)
    assert client.post(logo.url).status_code == 405


def test_a_replaced_logo_is_deleted_once_the_new_one_is_committed(storefront, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _upload_logo(storefront, "first.png")
    first_name, storage = first.name, first.storage
    assert storage.exists(first_name)
    with django_capture_on_commit_callbacks(execute=True):
        second = _upload_logo(storefront, "second.png")
    assert second.name != first_name
    assert storage.exists(second.name) and not storage.exists(first_name)
