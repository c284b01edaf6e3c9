import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from courseplatform.catalog.forms import CourseForm, StorefrontForm
from courseplatform.catalog.validators import parse_brand_colors, parse_keywords
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def storefront_form(colors="#1e88e5", logo=None, **overrides):
    data = {"name": "Data Dojo", "slug": "data-dojo", "tagline": "", "brand_keywords_text": "tech, trust",
            "brand_colors_text": colors, **overrides}
    files = {"logo": logo} if logo is not None else {}
    return StorefrontForm(data=data, files=files)


def png_bytes(size=(64, 64), mode="RGBA", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (30, 136, 229, 128) if mode == "RGBA" else (30, 136, 229)).save(out, format=fmt)
    return out.getvalue()


@pytest.mark.parametrize("bad", ["#12345", "red; } body {", "#1234567", "1e88e5", "#gg0000", "</style>"])
def test_bad_brand_colour_is_refused_with_a_clear_message(bad):
    form = storefront_form(colors=bad)
    assert not form.is_valid()
    assert "#rrggbb" in str(form.errors["brand_colors_text"])


def test_brand_colours_are_normalised_to_lower_case():
    assert parse_brand_colors("#1E88E5, #F9A825") == ["#1e88e5", "#f9a825"]


def test_more_than_eight_brand_colours_is_refused_and_eight_are_kept():
    eight = " ".join(f"#{i}{i}{i}{i}{i}{i}" for i in range(8))
    assert storefront_form(colors=eight).is_valid()
    form = storefront_form(colors=eight + " #999999")
    assert not form.is_valid()
    assert "at most 8" in str(form.errors["brand_colors_text"])


def test_keywords_split_on_english_and_chinese_commas():
    assert parse_keywords("tech, trust，科技、成长") == ["tech", "trust", "科技", "成长"]


def test_valid_logo_is_reencoded_as_png_with_a_random_name():
    form = storefront_form(logo=SimpleUploadedFile("mine.webp", png_bytes(fmt="WEBP"), content_type="image/webp"))
    assert form.is_valid(), form.errors
    logo = form.cleaned_data["logo"]
    assert logo.name.endswith(".png") and "mine" not in logo.name
    assert Image.open(io.BytesIO(logo.read())).mode == "RGBA"


def test_non_image_renamed_to_png_is_refused():
    form = storefront_form(logo=SimpleUploadedFile("evil.png", b"<html><script>alert(1)</script>", "image/png"))
    assert not form.is_valid()
    assert "PNG, JPEG or WebP" in str(form.errors["logo"])


def test_svg_logo_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    form = storefront_form(logo=SimpleUploadedFile("logo.svg", svg, "image/svg+xml"))
    assert not form.is_valid()


def test_gif_logo_is_refused():
    form = storefront_form(logo=SimpleUploadedFile("anim.png", png_bytes(mode="RGB", fmt="GIF"), "image/png"))
    assert not form.is_valid()
    assert "PNG, JPEG or WebP" in str(form.errors["logo"])


def test_oversized_logo_file_is_refused_before_decoding():
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 1), "image/png")
    form = storefront_form(logo=big)
    assert not form.is_valid()
    assert "5 MB" in str(form.errors["logo"])


def test_logo_larger_than_4096_pixels_is_refused():
    form = storefront_form(logo=SimpleUploadedFile("wide.png", png_bytes(size=(5000, 10), mode="RGB"), "image/png"))
    assert not form.is_valid()
    assert "4096" in str(form.errors["logo"])


def test_decompression_bomb_is_refused_with_a_clear_message():
    # A PNG header that declares 30000×30000 pixels (pixel flood) with almost no data.
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 100)) + chunk(b"IEND", b"")
    form = storefront_form(logo=SimpleUploadedFile("bomb.png", bomb, "image/png"))
    assert not form.is_valid()
    message = str(form.errors["logo"])
    assert "4096" in message or "decompression bomb" in message


def test_truncated_logo_is_refused():
    data = png_bytes(size=(300, 300), mode="RGB", fmt="JPEG")[:400]
    form = storefront_form(logo=SimpleUploadedFile("cut.jpg", data, "image/jpeg"))
    assert not form.is_valid()
    assert "damaged or truncated" in str(form.errors["logo"])


@pytest.mark.parametrize("title", ["Python 入门 🐍", "مقدمة في البرمجة", "数据科学从入门到精通"])
def test_course_title_accepts_any_script(title):
    form = CourseForm(data={"title": title, "category": CategoryFactory().pk, "level": "beginner",
                            "language": "en", "price": "10", "tags_text": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == title


def test_course_title_control_characters_are_removed_and_empty_title_refused():
    category = CategoryFactory().pk
    ok = CourseForm(data={"title": "A\x1bB\x07C", "category": category, "level": "beginner", "language": "en",
                          "price": "0"})
    assert ok.is_valid() and ok.cleaned_data["title"] == "ABC"
    empty = CourseForm(data={"title": "\x01\x02", "category": category, "level": "beginner", "language": "en",
                             "price": "0"})
    assert not empty.is_valid()


def test_negative_price_is_refused():
    form = CourseForm(data={"title": "T", "category": CategoryFactory().pk, "level": "beginner", "language": "en",
                            "price": "-1"})
    assert not form.is_valid() and "price" in form.errors
