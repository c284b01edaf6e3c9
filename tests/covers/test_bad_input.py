"""Every bad title and logo input from issue 5: rendered or refused deterministically, never a crash."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from themes.covers import TITLE_MAX_CHARS, CoverSpec, LogoError, clean_text, load_logo, render_cover_bytes
from themes.covers import render_cover_detailed as detailed

from .conftest import AWKWARD_TITLES


def _png(size: tuple[int, int], mode: str = "RGB", color: object = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size, color).save(buf, "PNG")
    return buf.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_header_only(w: int, h: int) -> bytes:
    """A 'pixel flood' PNG: a huge size in IHDR and a tiny IDAT."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        _chunk(b"IEND", b"")


@pytest.mark.parametrize("title", AWKWARD_TITLES)
@pytest.mark.parametrize("layout", ["gradient-band", "geometric", "split"])
def test_awkward_titles_render_without_error(title: str, layout: str) -> None:
    enc = render_cover_bytes(CoverSpec(title=title, subtitle=title, creator=title, category=title, layout=layout,
                                       size=(480, 270), format="png"))
    assert enc.data.startswith(b"\x89PNG")


def test_long_title_is_capped_with_an_ellipsis() -> None:
    cleaned = clean_text("word " * 100, TITLE_MAX_CHARS)
    assert len(cleaned) <= TITLE_MAX_CHARS and cleaned.endswith("…")


def test_control_characters_are_stripped() -> None:
    assert clean_text("a\x00b\x1bc\u202ed\r\ne\tf", 50) == "abcd e f"


def test_only_emoji_title_renders_a_cover_without_a_title_line() -> None:
    render = detailed(CoverSpec(title="\U0001F680\U0001F525", creator="Ann Lee", layout="split"))
    assert "title" not in {p.role for p in render.texts}
    assert {"meta", "monogram"} <= {p.role for p in render.texts}


@pytest.mark.parametrize("bad", [dict(format="gif"), dict(size=(10, 10)), dict(size=(99999, 720)),
                                 dict(palette={"primary": "blue"}), dict(layout="no-such-layout")])
def test_bad_spec_is_a_clear_value_error(bad: dict) -> None:
    with pytest.raises(ValueError):
        render_cover_bytes(CoverSpec(title="t", **bad))


# --- logos ---------------------------------------------------------------------------------------------------

def test_pixel_flood_png_header_is_refused_before_decoding() -> None:
    with pytest.raises(LogoError, match="decompression bomb|limit"):
        load_logo(_png_header_only(100_000, 100_000))


def test_png_larger_than_4096_px_is_refused() -> None:
    with pytest.raises(LogoError, match="4096"):
        load_logo(_png_header_only(5000, 100))


def test_truncated_jpeg_is_refused() -> None:
    buf = io.BytesIO()
    noise = np.random.default_rng(0).integers(0, 255, (200, 200, 3), dtype=np.uint8)
    Image.fromarray(noise).save(buf, "JPEG", quality=90)
    with pytest.raises(LogoError, match="truncated|corrupt"):
        load_logo(buf.getvalue()[: len(buf.getvalue()) // 2])


def test_gif_renamed_png_is_refused() -> None:
    buf = io.BytesIO()
    Image.new("P", (10, 10)).save(buf, "GIF")
    with pytest.raises(LogoError, match="PNG, JPEG or WebP"):
        load_logo(buf.getvalue())


def test_svg_is_refused() -> None:
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    with pytest.raises(LogoError, match="PNG, JPEG or WebP"):
        load_logo(svg)


def test_oversized_file_is_refused() -> None:
    with pytest.raises(LogoError, match="5 MB"):
        load_logo(_png((4, 4)) + b"\0" * (5 * 1024 * 1024))


def test_empty_and_non_bytes_are_refused() -> None:
    with pytest.raises(LogoError):
        load_logo(b"")
    with pytest.raises(LogoError):
        load_logo("not bytes")  # type: ignore[arg-type]


def test_exif_orientation_is_honoured() -> None:
    im = Image.new("RGB", (40, 20), (0, 0, 255))
    im.paste((255, 0, 0), (0, 0, 20, 20))  # left half red
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95, exif=exif)
    logo = load_logo(buf.getvalue())
    assert logo.size == (20, 40)
    top, bottom = logo.getpixel((10, 5)), logo.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60  # the red half is now on top
    assert bottom[2] > 200 and bottom[0] < 60


def test_rgba_png_keeps_alpha_and_renders_into_split_layout() -> None:
    logo = load_logo(_png((64, 32), "RGBA", (10, 120, 200, 0)))
    assert logo.mode == "RGBA" and logo.getpixel((0, 0))[3] == 0
    data = _png((64, 64), "RGBA", (10, 120, 200, 128))
    enc = render_cover_bytes(CoverSpec(title="With logo", logo=data, layout="split", format="png"))
    assert enc.data.startswith(b"\x89PNG")


def test_webp_and_jpeg_logos_load() -> None:
    for fmt in ("WEBP", "JPEG"):
        buf = io.BytesIO()
        Image.new("RGB", (30, 30), (1, 2, 3)).save(buf, fmt)
        assert load_logo(buf.getvalue()).size == (30, 30)


def test_bad_logo_in_spec_raises_logo_error_not_a_crash() -> None:
    with pytest.raises(LogoError):
        render_cover_bytes(CoverSpec(title="t", logo=b"GIF89a not really", layout="split"))
