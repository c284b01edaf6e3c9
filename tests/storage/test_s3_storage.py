"""Media, lesson media and model artifacts on an S3-compatible object store (moto's server: real HTTP, real
boto3, django-storages' S3 backend), selected the way ``STORAGE_BACKEND=s3`` selects it."""

import io
import json
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from courseplatform.learning.storage import private_storage
from tests.factories import CourseFactory
from tests.learning.conftest import MP4, VTT

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), (30, 99, 196)).save(out, "PNG")
    return out.getvalue()


def test_covers_and_logos_are_stored_in_the_bucket_and_served_from_it(client, s3_storages_on, s3_server,
                                                                       storefront):
    from themes import cover_store

    storefront.logo.save("logo.png", ContentFile(_png()))
    course = CourseFactory(storefront=storefront, published=True)
    cover = cover_store.cover_for(course, "thumb")

    keys = s3_server.keys(s3_storages_on, "media/")
    assert f"media/{cover.name}" in keys and f"media/{storefront.logo.name}" in keys
    stored = s3_server.client().get_object(Bucket=s3_storages_on, Key=f"media/{cover.name}")["Body"].read()
    assert stored[:4] == b"RIFF" and stored[8:12] == b"WEBP"
    response = client.get(reverse("themes:course_cover", args=[course.pk]), {"size": "thumb"})
    assert response.status_code == 200 and response.content == stored
    assert response["ETag"] == f'"{cover.digest}"'
    # the logo's URL is the object store's (presigned: the bucket stays private)
    url = storefront.logo.url
    assert url.startswith(s3_server.endpoint) and "Signature" in url or "X-Amz-Signature" in url
    with urllib.request.urlopen(url) as fetched:
        assert fetched.read() == storefront.logo.open("rb").read()


def test_a_cover_is_rendered_once_and_found_again_in_the_bucket(s3_storages_on, s3_server, storefront,
                                                                 monkeypatch):
    from themes import cover_store

    course = CourseFactory(storefront=storefront, published=True)
    first = cover_store.cover_for(course, "thumb")
    monkeypatch.setattr(cover_store, "_render", lambda spec: pytest.fail("rendered again"))
    again = cover_store.cover_for(course, "thumb")
    assert again == first and again.read() == first.read()
    assert len(s3_server.keys(s3_storages_on, "media/covers/")) == 1


def test_lesson_media_stream_from_the_bucket_with_ranges_and_permission_checks(client, s3_storages_on, s3_server,
                                                                                enrolled, lessons, learner):
    video = lessons["video"]
    assert s3_server.keys(s3_storages_on, f"private/{video.video.name}") == [f"private/{video.video.name}"]
    url = reverse("learning:lesson_video", args=[video.pk])
    assert client.get(url).status_code in (302, 403)  # not logged in: not a byte

    client.force_login(enrolled)
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == MP4
    assert whole["Content-Length"] == str(len(MP4)) and whole["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=100-1099")
    assert part.status_code == 206 and part["Content-Range"] == f"bytes 100-1099/{len(MP4)}"
    assert b"".join(part.streaming_content) == MP4[100:1100]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == MP4[-10:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(MP4)}-").status_code == 416
    head = client.head(url, HTTP_RANGE="bytes=0-9")
    assert head.status_code == 206 and head["Content-Length"] == "10"
    captions = client.get(reverse("learning:lesson_captions", args=[video.pk]))
    assert b"".join(captions.streaming_content).decode() == VTT

    client.force_login(learner.__class__.objects.create_user("stranger", password="pw-for-tests-123"))
    assert client.get(url).status_code == 403


def test_redirect_delivery_hands_out_a_short_lived_presigned_url_after_the_check(client, settings, s3_storages_on,
                                                                                 s3_server, enrolled, lessons):
    settings.LEARNING_MEDIA_DELIVERY = "redirect"
    client.force_login(enrolled)
    response = client.get(reverse("learning:lesson_video", args=[lessons["video"].pk]))
    assert response.status_code == 302 and response["Cache-Control"] == "private, no-store"
    location = response["Location"]
    assert location.startswith(s3_server.endpoint) and "X-Amz-Expires=60" in location
    ranged = urllib.request.Request(location, headers={"Range": "bytes=10-19"})
    with urllib.request.urlopen(ranged) as fetched:
        assert fetched.status == 206 and fetched.read() == MP4[10:20]
        assert fetched.headers["Content-Type"] == "video/mp4"


def test_private_and_default_storages_follow_the_settings(s3_storages_on, s3_server):
    private_storage.save("exports/check.txt", ContentFile(b"x"))
    default_storage.save("misc/check.txt", ContentFile(b"y"))
    assert s3_server.keys(s3_storages_on) == ["media/misc/check.txt", "private/exports/check.txt"]


@pytest.mark.django_db(transaction=True)
def test_model_artifacts_go_to_the_bucket_and_load_on_a_machine_without_them(settings, s3_storages_on, s3_server,
                                                                             tmp_path):
    from recommender import training
    from tests.recommender.factories import catalogue, planted_interactions

    settings.VAR_DIR = tmp_path / "trainer"
    settings.VAR_DIR.mkdir()
    _cats, courses = catalogue(n_categories=2, per_category=4)
    planted_interactions(courses, n_learners=12)
    version = training.train_version(algorithm="ease", device="cpu")
    key = f"models/{version.pk}"
    assert version.artifact_dir == key
    stored = s3_server.keys(s3_storages_on, f"artifacts/{key}/")
    assert stored == [f"artifacts/{key}/{name}" for name in ("ids.json", "metadata.json", "weights.pt")]
    meta = json.loads(s3_server.client().get_object(Bucket=s3_storages_on,
                                                    Key=f"artifacts/{key}/metadata.json")["Body"].read())
    assert meta["sha256"] == version.sha256 and meta["version_id"] == version.pk
    assert not (settings.VAR_DIR / "models").exists()  # nothing written beside the trainer's VAR_DIR

    # another machine: an empty VAR_DIR; the artifact is fetched into its cache and rebuilds the feeds
    settings.VAR_DIR = tmp_path / "other"
    settings.VAR_DIR.mkdir()
    feeds = version.feed_count
    assert training.rematerialise(version) == feeds
    copy = settings.VAR_DIR / "cache" / "artifacts" / key
    assert sorted(p.name for p in copy.iterdir()) == ["ids.json", "metadata.json", "weights.pt"]

    # a discarded half-written version leaves nothing in the bucket
    training._discard(version.__class__.objects.get(pk=version.pk)) if not version.is_active else None
    if version.is_active:
        version.__class__.objects.filter(pk=version.pk).update(is_active=False)
        training._discard(version.__class__.objects.get(pk=version.pk))
    assert s3_server.keys(s3_storages_on, f"artifacts/{key}/") == []
