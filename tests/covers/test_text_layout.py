"""Text fitting: safe area, wrapping rules, ellipsis."""

from __future__ import annotations

import pytest

from themes.covers import BUILTIN_LAYOUTS, SIZES, CoverSpec, render_cover_detailed
from themes.covers.fonts import chain_for
from themes.covers.text import ELLIPSIS, fit_text, tokenize, wrap

from .conftest import PALETTES, text_pixels_outside_boxes

TITLES = {
    "english": "Practical Machine Learning with Python: From Zero to Production",
    "chinese": "零基础学Python：从入门到精通（第二版），三十天掌握编程思维",
    "long-word": "Supercalifragilisticexpialidocious" * 4,
    "long": "A very long course title that keeps going " * 12,
}


@pytest.mark.parametrize("size_name", sorted(SIZES))
@pytest.mark.parametrize("layout", [lay.name for lay in BUILTIN_LAYOUTS])
@pytest.mark.parametrize("title_key", sorted(TITLES))
def test_all_text_ink_stays_inside_the_safe_area(layout: str, size_name: str, title_key: str) -> None:
    spec = CoverSpec(title=TITLES[title_key], subtitle="Subtitle that is moderately long, to force wrapping",
                     creator="Ada Lovelace", category="Data science", course_id=11,
                     palette=PALETTES["light-navy"], layout=layout, size=SIZES[size_name], format="png")
    render = render_cover_detailed(spec)
    sx0, sy0, sx1, sy1 = render.safe_box
    roles = {p.role for p in render.texts}
    assert "title" in roles
    for p in render.texts:
        x0, y0, x1, y1 = p.bbox
        assert sx0 <= x0 and sy0 <= y0 and x1 <= sx1 and y1 <= sy1, (p.role, p.bbox, render.safe_box)
    assert text_pixels_outside_boxes(render) == 0


def test_latin_wraps_at_word_boundaries() -> None:
    faces = chain_for("Learning", "bold")
    lines = wrap(tokenize("Learning the craft of data visualisation today"), faces, 40, 300)
    assert len(lines) > 1
    words = set("Learning the craft of data visualisation today".split())
    for line in lines:
        assert set(line.split()) <= words


def test_overlong_word_is_broken_between_characters() -> None:
    faces = chain_for("x", "bold")
    word = "Pneumonoultramicroscopicsilicovolcanoconiosis"
    lines = wrap(tokenize(word), faces, 40, 250)
    assert len(lines) > 1 and "".join(lines) == word


def test_cjk_wraps_between_characters_and_respects_kinsoku() -> None:
    text = "我们学习编程，然后（实践）。再学习「设计」、思考！最后完成项目。" * 2
    faces = chain_for(text, "bold")
    for width in (150, 200, 260, 333):
        lines = wrap(tokenize(text), faces, 30, width)
        assert "".join(lines) == text
        for line in lines:
            assert line[0] not in "，。、）」！", (width, line)
            assert line[-1] not in "（「", (width, line)


def test_tokenizer_glues_closing_punctuation_to_preceding_character() -> None:
    toks = [t.text for t in tokenize("学习，编程。")]
    assert toks == ["学", "习，", "编", "程。"]


def test_text_too_long_for_minimum_size_ends_with_ellipsis() -> None:
    block = fit_text("word " * 400, (0, 0, 300, 80), max_size=30, min_size=14, max_lines=2)
    assert block is not None
    assert block.lines[-1].text.endswith(ELLIPSIS)
    assert len(block.lines) <= 2
    x0, y0, x1, y1 = block.bbox
    assert x0 >= 0 and y0 >= 0 and x1 <= 300 and y1 <= 80


def test_fit_text_uses_the_largest_size_that_fits() -> None:
    small = fit_text("Hi", (0, 0, 800, 400), max_size=120, min_size=10, max_lines=3)
    longer = fit_text("Hi there, this is a much longer title", (0, 0, 800, 400), max_size=120, min_size=10,
                      max_lines=3)
    assert small is not None and longer is not None
    assert small.size == 120 and longer.size < 120


def test_wide_cjk_title_is_not_shrunk_by_a_one_pixel_overhang() -> None:
    # Regression: a line exactly as wide as the box used to fail the ink check at most sizes and the
    # size search collapsed to a tiny title on the 1200x630 split layout.
    render = render_cover_detailed(CoverSpec(title="深度学习实战：用PyTorch构建图像识别系统", subtitle="从卷积网络到迁移学习",
                                             layout="split", size=SIZES["social"]))
    title = next(p for p in render.texts if p.role == "title")
    assert title.block.size >= 40


def test_dropped_emoji_leaves_no_space_before_punctuation() -> None:
    render = render_cover_detailed(CoverSpec(title="Emoji \U0001F389, done", layout="geometric"))
    title = next(p for p in render.texts if p.role == "title")
    assert " ".join(line.text for line in title.block.lines) == "Emoji, done"


def test_paragraph_direction_follows_the_first_strong_character() -> None:
    from themes.covers.text import paragraph_is_rtl

    assert paragraph_is_rtl("שלום world") and paragraph_is_rtl("١٢ مرحبا")
    assert not paragraph_is_rtl("Learn العربية today") and not paragraph_is_rtl("123 abc")


def test_hebrew_title_is_right_aligned_and_mixed_ltr_title_is_left_aligned() -> None:
    box = (100, 0, 900, 400)
    he = fit_text("שלום עולם", box, max_size=40, min_size=10, max_lines=2)
    mixed = fit_text("Learn עברית and العربية together", box, max_size=40, min_size=10, max_lines=2)
    assert he is not None and mixed is not None
    assert he.bbox[2] >= 895 and he.bbox[0] > 300
    assert mixed.bbox[0] <= 105


def test_last_line_is_not_a_lone_cjk_character_or_short_word() -> None:
    cjk = "三十天掌握编程思维，动手完成五个实战项目"
    faces = chain_for(cjk, "regular")
    lines = wrap(tokenize(cjk), faces, 33, 600)
    assert len(lines) == 2 and len(lines[-1]) >= 3 and "".join(lines) == cjk
    latin = "From linear models to gradient boosting, with real projects"
    lines = wrap(tokenize(latin), chain_for(latin, "regular"), 33, 800)
    assert len(lines[-1].split()) >= 2
