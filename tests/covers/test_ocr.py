"""Covers are legible: tesseract reads the title back from the rendered image, in Chinese, Arabic and English
(and a Chinese creator name and category label),
on a machine with no system fonts (only the renderer's shipped fonts).

The title's ink is isolated by its colour inside its recorded box, scaled to ~48 px glyphs (tesseract's sweet
spot) and read with the title's language model. A reading counts when it matches the title up to OCR noise
(similarity ≥ 0.8, a misread stroke-heavy character or two); a title with dropped characters, the bug this
guards against ("30天掌握前端工程" drawn as "30"), scores far below (tested as the control).
"""

from __future__ import annotations

import io
import subprocess
from difflib import SequenceMatcher

import numpy as np
import pytest
from PIL import Image

from tests.tools import require_tesseract
from themes.covers import CoverRender, CoverSpec, render_cover_detailed
from themes.covers import fonts as fonts_mod

TITLES = {
    "chi_sim": ["自然冥想入门", "30天掌握前端工程", "零基础学编程：从入门到精通", "数据分析与可视化实战"],
    "ara": ["مرحبا بالعالم", "أساسيات البرمجة بلغة بايثون"],
    "eng": ["Practical Machine Learning", "Design Systems in 30 Days"],
}
CASES = [(lang, title) for lang, titles in TITLES.items() for title in titles]
LAYOUTS = ("geometric", "gradient-band", "split")
MIN_SIMILARITY = 0.8


@pytest.fixture(scope="module")
def tesseract() -> str:
    return require_tesseract(*TITLES)


def normalise(text: str, lang: str) -> str:
    text = text.replace(":", "：") if lang == "chi_sim" else text
    return "".join(text.split()) if lang == "chi_sim" else " ".join(text.split())  # OCR spaces CJK apart


def read_text(render: CoverRender, tesseract: str, lang: str, role: str = "title") -> str:
    """What tesseract reads in the box of the ``role`` text (black ink on white, scaled to ~48 px glyphs)."""
    placement = next((p for p in render.texts if p.role == role), None)
    if placement is None:
        return ""
    x0, y0, x1, y1 = placement.bbox
    pixels = np.asarray(render.image.convert("RGB").crop((max(0, x0 - 16), max(0, y0 - 16), x1 + 16, y1 + 16)))
    near_ink = np.abs(pixels.astype(int) - np.array(placement.color)).sum(axis=2) < 120
    image = Image.fromarray(np.where(near_ink, 0, 255).astype(np.uint8))
    scale = 48 / placement.block.size
    image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    psm = "6" if role == "title" else "7"  # a block of lines; one line
    result = subprocess.run([tesseract, "stdin", "stdout", "-l", lang, "--psm", psm], input=buffer.getvalue(),
                            capture_output=True, timeout=120, check=True)
    return normalise(result.stdout.decode("utf-8"), lang)


def similarity(read: str, title: str, lang: str) -> float:
    return SequenceMatcher(None, read, normalise(title, lang)).ratio()


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("lang", "title"), CASES)
def test_ocr_reads_the_title_back_from_the_cover(no_system_fonts: None, tesseract: str, layout: str, lang: str,
                                                 title: str) -> None:
    render = render_cover_detailed(CoverSpec(title=title, creator="李老师", category="设计", layout=layout,
                                             format="png"))
    read = read_text(render, tesseract, lang)
    assert similarity(read, title, lang) >= MIN_SIMILARITY, f"OCR read {read!r} for {title!r}"


def test_ocr_tells_a_cover_that_dropped_its_cjk_characters(no_system_fonts: None, tesseract: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The control: without a CJK face (the fresh-machine bug) the same check fails, so the test above can."""
    real = fonts_mod.find_font
    monkeypatch.setattr(fonts_mod, "find_font", lambda role, weight="bold": None if role == "cjk" else real(role, weight))
    monkeypatch.setattr(fonts_mod, "_warned", set())
    title = "30天掌握前端工程"
    read = read_text(render_cover_detailed(CoverSpec(title=title, layout="geometric", format="png")), tesseract,
                     "chi_sim")
    assert similarity(read, title, "chi_sim") < 0.5, read


@pytest.mark.parametrize("layout", LAYOUTS)
def test_ocr_reads_a_chinese_creator_name_and_category_label(no_system_fonts: None, tesseract: str,
                                                             layout: str) -> None:
    """The creator band and the category label (a Chinese page's covers carry the Chinese category name)."""
    render = render_cover_detailed(CoverSpec(title="Practical Machine Learning", creator="王小明",
                                             category="数据科学", layout=layout, format="png"))
    assert read_text(render, tesseract, "chi_sim", "meta") == "王小明"
    assert read_text(render, tesseract, "chi_sim", "eyebrow") == "数据科学"
