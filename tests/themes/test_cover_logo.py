"""The storefront's uploaded logo on "Split with logo" covers: drawn (EXIF-rotated, alpha kept), part of the content
hash (a new logo, a new cover URL), never on layouts without a logo box, and never a reason for a cover to fail."""

import io
from html import escape

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from courseplatform.catalog.models import Course, Storefront
from themes import cover_store
from themes.cover_store import cover_url

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 40, 220)
SURFACE = (0xF4, 0xF6, 0xF8)  # cover_store.DEFAULT_ROLES["surface"]: the logo plate without an active palette
# thumb (480x270), split layout: logo box (0.07, 0.26, 0.31, 0.74) -> the logo is centred on (91, 135)
CENTRE = (91, 135)


def _png(color, size=(120, 120), mode="RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, format="PNG")
    return out.getvalue()


def _set_logo(storefront, data: bytes, name: str = "logo.png") -> Storefront:
    storefront.logo.save(name, ContentFile(data), save=True)
    return Storefront.objects.get(pk=storefront.pk)


def _split_course(course) -> Course:
    course.cover_layout = "split"
    course.save()
    return Course.objects.select_related("storefront", "category").get(pk=course.pk)


def _pixels(cover) -> Image.Image:
    with Image.open(cover.path) as image:
        return image.convert("RGB")


def _close(got, want, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(got, want, strict=True))


def test_a_storefront_logo_changes_the_split_cover(course):
    course = _split_course(course)
    without = cover_store.cover_for(course, "thumb")
    assert not _close(_pixels(without).getpixel(CENTRE), RED)  # the monogram on the panel

    _set_logo(course.storefront, _png(RED))
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    with_logo = cover_store.cover_for(course, "thumb")
    assert with_logo.digest != without.digest
    assert with_logo.path.read_bytes() != without.path.read_bytes()
    assert _close(_pixels(with_logo).getpixel(CENTRE), RED)  # the logo itself is drawn


def test_uploading_a_new_logo_changes_the_split_cover_url(client, course):
    course = _split_course(course)
    _set_logo(course.storefront, _png(RED))
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    first = cover_url(course, "thumb")
    _set_logo(course.storefront, _png(BLUE))
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    second = cover_url(course, "thumb")
    assert first != second
    served = client.get(second)
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    with Image.open(io.BytesIO(served.content)) as image:
        assert _close(image.convert("RGB").getpixel(CENTRE), BLUE)


def test_a_logo_leaves_layouts_without_a_logo_box_alone(course):
    assert not cover_store.layout_uses_logo("gradient-band") and cover_store.layout_uses_logo("split")
    before = {}
    for layout in ("gradient-band", "geometric"):
        course.cover_layout = layout
        before[layout] = cover_url(course, "card")
    _set_logo(course.storefront, _png(RED))
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    for layout, url in before.items():
        course.cover_layout = layout
        assert cover_url(course, "card") == url, layout


def test_the_split_preview_shows_the_logo_the_stored_cover_has(client, creator, course):
    course = _split_course(course)
    _set_logo(course.storefront, _png(BLUE))
    client.force_login(creator)
    preview = client.get(reverse("themes:cover_preview", args=[course.pk]) + "?layout=split").content
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    assert preview == client.get(cover_url(course, "thumb")).content


def test_the_logo_keeps_its_transparency_on_the_cover(course):
    course = _split_course(course)
    logo = Image.new("RGBA", (120, 120), (0, 0, 0, 0))
    logo.paste((*RED, 255), (40, 40, 80, 80))
    out = io.BytesIO()
    logo.save(out, format="PNG")
    _set_logo(course.storefront, out.getvalue())
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    pixels = _pixels(cover_store.cover_for(course, "thumb"))
    assert _close(pixels.getpixel(CENTRE), RED)
    assert _close(pixels.getpixel((CENTRE[0] - 35, CENTRE[1] - 35)), SURFACE, 12)  # transparent: the plate shows


def test_the_logo_is_drawn_upright_following_its_exif_orientation(course):
    course = _split_course(course)
    wide = Image.new("RGB", (200, 100), RED)
    wide.paste(BLUE, (100, 0, 200, 100))  # stored sideways: left red, right blue
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": upright it is tall, red on top, blue below
    out = io.BytesIO()
    wide.save(out, format="JPEG", quality=95, exif=exif.tobytes())
    _set_logo(course.storefront, out.getvalue(), "logo.jpg")
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    pixels = _pixels(cover_store.cover_for(course, "thumb"))
    assert _close(pixels.getpixel((CENTRE[0], CENTRE[1] - 30)), RED)
    assert _close(pixels.getpixel((CENTRE[0], CENTRE[1] + 30)), BLUE)


@pytest.mark.parametrize("broken", ["corrupt", "missing"])
def test_an_unusable_logo_falls_back_to_the_monogram(client, course, broken):
    course = _split_course(course)
    monogram = cover_store.cover_for(course, "thumb").digest
    storefront = _set_logo(course.storefront, b"\x89PNG\r\n\x1a\nnot really a png" if broken == "corrupt"
                           else _png(RED))
    if broken == "missing":
        storefront.logo.storage.delete(storefront.logo.name)
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    assert cover_store.cover_for(course, "thumb").digest == monogram
    assert client.get(cover_url(course, "thumb")).status_code == 200


def test_the_split_cover_with_a_logo_renders_the_same_bytes_every_time(course):
    course = _split_course(course)
    _set_logo(course.storefront, _png(RED, mode="RGBA"))
    course = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    cover = cover_store.cover_for(course, "card")
    first = cover.path.read_bytes()
    cover.path.unlink()
    fresh = Course.objects.select_related("storefront", "category").get(pk=course.pk)
    again = cover_store.cover_for(fresh, "card")
    assert again.digest == cover.digest and again.path.read_bytes() == first


def test_a_page_of_split_covers_reads_the_storefront_logo_once(client, monkeypatch, storefront):
    """Each card's course has its own storefront instance (select_related): the logo is still read once."""
    from django.core.files.storage import Storage

    from tests.factories import CourseFactory

    courses = CourseFactory.create_batch(6, storefront=storefront, cover_layout="split", title="Logo page")
    storefront = _set_logo(storefront, _png(RED))
    real_open = Storage.open
    opened = []

    def counting_open(self, name, *args, **kwargs):
        if name == storefront.logo.name:
            opened.append(name)
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(Storage, "open", counting_open)
    response = client.get(reverse("catalog:home") + "?q=Logo+page")
    assert response.status_code == 200
    fresh = Course.objects.select_related("storefront", "category").filter(pk__in=[c.pk for c in courses])
    urls = {cover_url(course, "thumb") for course in fresh}
    assert len(urls) == len(courses) and all(escape(url) in response.content.decode() for url in urls)
    assert len(opened) <= 1
