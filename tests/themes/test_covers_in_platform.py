"""Covers in the platform: the per-course layout preview, the saved layout, and awkward titles through the view."""

import io

import pytest
from django.db import DataError, connection, transaction
from django.urls import reverse
from PIL import Image

from themes import cover_store
from themes.cover_store import cover_url
from themes.plugins import COVER_LAYOUTS

pytestmark = pytest.mark.django_db


def _webp_size(data: bytes) -> tuple[int, int]:
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        return image.size


def _preview(client, course, layout: str):
    return client.get(reverse("themes:cover_preview", args=[course.pk]) + f"?layout={layout}")


def test_the_layout_preview_is_a_webp_for_every_registered_layout(client, creator, course):
    client.force_login(creator)
    layouts = COVER_LAYOUTS.keys()
    assert len(layouts) >= 3
    previews = {}
    for layout in layouts:
        response = _preview(client, course, layout)
        assert response.status_code == 200, layout
        assert response["Content-Type"] == "image/webp"
        assert response["Cache-Control"] == "private, max-age=60"
        assert _webp_size(response.content) == cover_store.SIZES["thumb"]
        previews[layout] = response.content
    assert len(set(previews.values())) == len(layouts)  # each layout really looks different


def test_the_layout_preview_refuses_an_unknown_layout_and_other_creators(client, creator, other_creator, course):
    client.force_login(creator)
    assert _preview(client, course, "no-such-layout").status_code == 404
    assert _preview(client, course, "").status_code == 404
    client.force_login(other_creator)
    assert _preview(client, course, "split").status_code == 404


def _course_form(course, **changes) -> dict:
    data = {"title": course.title, "subtitle": course.subtitle, "description": course.description,
            "category": course.category_id, "level": course.level, "language": course.language,
            "price": str(course.price), "published": "on" if course.published else "",
            "cover_layout": course.cover_layout, "tags_text": ", ".join(course.tags)}
    data.update(changes)
    return data


def test_a_saved_cover_layout_changes_the_cover_url_to_what_the_preview_showed(client, creator, course):
    assert course.storefront.default_cover_layout == "gradient-band" and course.cover_layout == ""
    before = cover_url(course, "thumb")
    client.force_login(creator)
    preview = _preview(client, course, "split").content

    course.cover_layout = "split"
    course.save()
    course.refresh_from_db()
    after = cover_url(course, "thumb")
    assert after != before
    served = client.get(after)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert served.content == preview  # the preview the creator picked is the cover learners get

    course.cover_layout = ""
    course.save()
    assert cover_url(course, "thumb") == before  # back to the storefront default


def test_the_course_form_saves_the_picked_cover_layout(client, creator, course):
    before = cover_url(course, "thumb")
    client.force_login(creator)
    response = client.post(reverse("catalog:studio_course", args=[course.pk]),
                           _course_form(course, cover_layout="split"))
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.cover_layout == "split"
    assert cover_url(course, "thumb") != before


def test_the_course_form_shows_one_preview_per_layout(client, creator, course):
    client.force_login(creator)
    page = client.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    for layout in COVER_LAYOUTS.keys():
        assert reverse("themes:cover_preview", args=[course.pk]) + f"?layout={layout}" in page


AWKWARD_VIEW_TITLES = {
    "emoji-only": "\U0001F680\U0001F525\U0001F4AF",
    "longest-the-model-allows": "Statistics " * 10 + "for all",  # 117 characters, under max_length=120
    "500-characters": "A" * 500,
}


@pytest.mark.parametrize("case", list(AWKWARD_VIEW_TITLES))
def test_cover_url_of_an_awkward_title_answers_200(client, course, case):
    title = AWKWARD_VIEW_TITLES[case]
    if len(title) > course._meta.get_field("title").max_length and connection.vendor != "sqlite":
        with pytest.raises(DataError), transaction.atomic():  # varchar(120): no such course can exist there
            type(course).objects.filter(pk=course.pk).update(title=title)
        return
    type(course).objects.filter(pk=course.pk).update(title=title)  # as an import or the shell could store it
    course.refresh_from_db()
    assert course.title == title
    for size, dimensions in cover_store.SIZES.items():
        response = client.get(cover_url(course, size))
        assert response.status_code == 200, (case, size)
        assert response["Content-Type"] == "image/webp"
        assert _webp_size(response.content) == dimensions
    assert client.get(course.get_absolute_url()).status_code == 200
