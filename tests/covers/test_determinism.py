"""Same input, same bytes; metadata stripped; the content hash tracks every input."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from themes.covers import RENDERER_VERSION, CoverSpec, cover_hash, render_cover_bytes

from .conftest import AWKWARD_TITLES, PALETTES

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


def _awkward_spec(title: str, layout: str, fmt: str = "webp") -> CoverSpec:
    return CoverSpec(title=title, subtitle=title, creator=title, category=title, course_id=7,
                     palette=PALETTES["light-navy"], layout=layout, size=(480, 270), format=fmt)


@pytest.mark.parametrize("title", AWKWARD_TITLES)
@pytest.mark.parametrize("layout", ["gradient-band", "geometric", "split"])
def test_awkward_titles_render_identical_bytes_twice(title: str, layout: str) -> None:
    first = render_cover_bytes(_awkward_spec(title, layout)).data
    second = render_cover_bytes(_awkward_spec(title, layout)).data
    assert first == second
    assert cover_hash(_awkward_spec(title, layout)) == cover_hash(_awkward_spec(title, layout))


def test_awkward_titles_render_the_same_bytes_in_a_fresh_interpreter() -> None:
    """No font cache, fallback order or other process state leaks into the bytes."""
    digests = [hashlib.sha256(render_cover_bytes(_awkward_spec(t, "split")).data).hexdigest()
               for t in AWKWARD_TITLES]
    child = (
        "import hashlib, json\n"
        "from tests.covers.conftest import AWKWARD_TITLES\n"
        "from tests.covers.test_determinism import _awkward_spec\n"
        "from themes.covers import render_cover_bytes\n"
        "print(json.dumps([hashlib.sha256(render_cover_bytes(_awkward_spec(t, 'split')).data).hexdigest()\n"
        "                  for t in reversed(AWKWARD_TITLES)]))\n"  # reversed: another order of first use
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", child], cwd=root, capture_output=True, text=True, check=True,
                         timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == list(reversed(digests))
