"""Same input, same bytes; metadata stripped; the content hash tracks every input."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image

from themes.covers import RENDERER_VERSION, CoverSpec, cover_hash, render_cover_bytes

from .conftest import PALETTES

BASE = CoverSpec(title="Intro to Statistics", subtitle="Means, medians and more", creator="R. Fisher",
                 category="Maths", course_id=99, palette=PALETTES["light-navy"], layout="geometric")


@pytest.mark.parametrize("fmt", ["webp", "png", "jpeg"])
def test_same_spec_gives_identical_bytes(fmt: str) -> None:
    spec = dataclasses.replace(BASE, format=fmt)
    first, second = render_cover_bytes(spec), render_cover_bytes(spec)
    assert first.data == second.data
    assert first.content_type == {"webp": "image/webp", "png": "image/png", "jpeg": "image/jpeg"}[fmt]
    with Image.open(io.BytesIO(first.data)) as im:
        assert im.size == (1280, 720)
        assert im.format == fmt.upper()
        assert not im.getexif()
        assert not ({"exif", "icc_profile", "xmp"} & set(im.info))


def test_geometric_pattern_depends_on_course_id_only_deterministically() -> None:
    a = render_cover_bytes(dataclasses.replace(BASE, format="png")).data
    b = render_cover_bytes(dataclasses.replace(BASE, course_id=100, format="png")).data
    assert a != b


def test_cover_hash_is_stable_and_changes_with_each_input() -> None:
    h = cover_hash(BASE)
    assert h == cover_hash(dataclasses.replace(BASE))
    changes = [dict(title="x"), dict(subtitle="x"), dict(layout="split"), dict(size=(480, 270)),
               dict(format="png"), dict(palette={**PALETTES["light-navy"], "accent": "#000000"}),
               dict(logo=b"\x89PNG fake logo bytes")]
    hashes = {cover_hash(dataclasses.replace(BASE, **c)) for c in changes}
    assert h not in hashes and len(hashes) == len(changes)
    assert RENDERER_VERSION
