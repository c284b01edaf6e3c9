"""Lesson media: HTTP range requests for seeking (206, Content-Range, 416), HEAD, private caching."""

import pytest
from django.urls import reverse

from tests.learning.conftest import MP4

pytestmark = pytest.mark.django_db


@pytest.fixture
def video_url(client, enrolled, lessons):
    client.force_login(enrolled)
    return reverse("learning:lesson_video", args=[lessons["video"].pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_whole_file_says_it_accepts_ranges(client, video_url):
    response = client.get(video_url)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert int(response["Content-Length"]) == len(MP4)
    assert "private" in response["Cache-Control"]
    assert _body(response) == MP4


@pytest.mark.parametrize(("header", "first", "last"), [
    ("bytes=0-99", 0, 99), ("bytes=100-", 100, len(MP4) - 1), ("bytes=-50", len(MP4) - 50, len(MP4) - 1),
    ("bytes=10-999999", 10, len(MP4) - 1)])
def test_range_request_returns_exactly_those_bytes(client, video_url, header, first, last):
    response = client.get(video_url, HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(MP4)}"
    assert int(response["Content-Length"]) == last - first + 1
    assert _body(response) == MP4[first:last + 1]


@pytest.mark.parametrize("header", [f"bytes={len(MP4)}-", "bytes=-0", "bytes=50-10"])
def test_unsatisfiable_range_is_416_with_the_size(client, video_url, header):
    response = client.get(video_url, HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(MP4)}"


def test_malformed_or_multiple_ranges_get_the_whole_file(client, video_url):
    for header in ("bytes=a-b", "bytes=0-1,5-6", "items=0-1"):
        response = client.get(video_url, HTTP_RANGE=header)
        assert response.status_code == 200 and _body(response) == MP4


def test_head_gives_headers_without_a_body(client, video_url):
    response = client.head(video_url, HTTP_RANGE="bytes=0-9")
    assert response.status_code == 206
    assert response["Content-Length"] == "10" and response.content == b""


def test_media_refuse_post(client, video_url):
    assert client.post(video_url).status_code == 405
