"""Font lookup and glyph coverage: CJK glyphs are real, missing glyphs are dropped with a warning."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from PIL import ImageFont

from themes.covers import CoverSpec, find_font, missing_glyphs, render_cover_detailed
from themes.covers import fonts as fonts_mod
from themes.covers.fonts import Face, chain_for, get_font, split_runs

CJK_TITLE = "零基础学编程：从入门到精通"
ARABIC_TITLE = "أساسيات البرمجة بلغة بايثون"
ROLES = ("cjk", "arabic", "latin")
WEIGHTS = ("bold", "regular")


def require_font(role: str) -> str:
    """The font file for ``role``: never missing, since the renderer ships its fonts (themes/covers/font_files)."""
    path = find_font(role, "bold")
    assert path is not None, f"no {role} font: the shipped {fonts_mod.SHIPPED_DIR} is missing"
    return path


def _cjk_font() -> ImageFont.FreeTypeFont:
    path = require_font("cjk")
    return get_font(Face(path, 2 if path.endswith(".ttc") else 0), 48)


def test_cjk_title_glyphs_are_real_glyphs_not_notdef() -> None:
    font = _cjk_font()
    assert missing_glyphs(font, CJK_TITLE) == []
    assert missing_glyphs(font, "\uffff") == ["\uffff"]  # the probe itself is .notdef


def test_rendered_cjk_cover_uses_a_face_that_has_every_glyph() -> None:
    _cjk_font()
    render = render_cover_detailed(CoverSpec(title=CJK_TITLE, layout="geometric"))
    title = next(p for p in render.texts if p.role == "title")
    drawn = "".join(r.text for line in title.block.lines for r in line.runs)
    assert drawn.replace(" ", "") == CJK_TITLE
    for line in title.block.lines:
        for run in line.runs:
            assert missing_glyphs(run.face, run.text) == []


def test_a_font_without_cjk_says_so() -> None:
    path = require_font("arabic")
    assert set(missing_glyphs(get_font(Face(path), 40), "学A")) == {"学"}


def test_unrenderable_characters_are_dropped_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="themes.covers.fonts"):
        render = render_cover_detailed(CoverSpec(title="Launch \U0001F680 day", layout="split", format="png"))
    assert "dropping" in caplog.text
    title = next(p for p in render.texts if p.role == "title")
    assert "\U0001F680" not in " ".join(line.text for line in title.block.lines)


def test_no_cjk_font_logs_a_warning_and_never_draws_tofu(monkeypatch: pytest.MonkeyPatch,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    real = fonts_mod.find_font
    monkeypatch.setattr(fonts_mod, "find_font", lambda role, weight="bold": None if role == "cjk" else real(role, weight))
    monkeypatch.setattr(fonts_mod, "_warned", set())
    with caplog.at_level(logging.WARNING, logger="themes.covers.fonts"):
        faces = chain_for("编程 Python", "bold")
        runs, dropped = split_runs("编程 Python", faces)
    assert "no CJK font" in caplog.text
    assert "编" in dropped and "程" in dropped
    assert all(missing_glyphs(f, s) == [] for f, s in runs)


def test_cover_font_dirs_env_var_is_searched_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = Path(fonts_mod.SHIPPED_DIR) / "NotoSansArabic-Bold.ttf"
    nested = tmp_path / "fonts" / "sub"
    nested.mkdir(parents=True)
    shutil.copy(src, nested / src.name)
    monkeypatch.setenv("COVER_FONT_DIRS", str(tmp_path / "fonts"))
    assert find_font("arabic", "bold") == str(nested / src.name)


@pytest.mark.parametrize("weight", WEIGHTS)
@pytest.mark.parametrize("role", ROLES)
def test_with_no_system_fonts_every_role_resolves_to_a_shipped_font(no_system_fonts: None, role: str,
                                                                    weight: str) -> None:
    path = find_font(role, weight)
    assert path is not None and Path(path).parent == Path(fonts_mod.SHIPPED_DIR)
    assert weight.capitalize() in Path(path).name


def test_shipped_fonts_carry_their_licences() -> None:
    shipped = Path(fonts_mod.SHIPPED_DIR)
    families = {p.name.split("-")[0] for p in shipped.glob("*.ttf")}
    assert families == {"NotoSansSC", "NotoSansArabic", "NotoSans"}
    for family in families:
        licence = (shipped / f"OFL-{family}.txt").read_text(encoding="utf-8")
        assert "SIL Open Font License, Version 1.1" in licence and "Copyright" in licence.splitlines()[0]


def test_shipped_cjk_font_has_every_gb2312_hanzi_and_the_whole_unified_block(no_system_fonts: None) -> None:
    from fontTools.ttLib import TTFont

    gb2312 = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                gb2312.add(bytes([high, low]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    assert len(gb2312) == 6763
    for weight in WEIGHTS:
        cmap = TTFont(find_font("cjk", weight), lazy=True).getBestCmap()
        assert not [c for c in gb2312 if ord(c) not in cmap]
        assert all(code in cmap for code in range(0x4E00, 0x9FA6))  # every URO ideograph of Unicode 4.1


@pytest.mark.parametrize("title", [CJK_TITLE, "30天掌握前端工程", ARABIC_TITLE, "Python 编程 العربية Ελληνικά Кириллица",
                                   "Tiếng Việt đặc biệt"])
def test_with_no_system_fonts_no_character_is_dropped(no_system_fonts: None, title: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="themes.covers.fonts"):
        render = render_cover_detailed(CoverSpec(title=title, subtitle=title, creator="李老师 ada", category="设计",
                                                 layout="split", format="png"))
    assert "dropping" not in caplog.text and "no CJK font" not in caplog.text
    drawn = {p.role: "".join(r.text for line in p.block.lines for r in line.runs) for p in render.texts}
    assert drawn["title"].replace(" ", "") == title.replace(" ", "")
    assert drawn["eyebrow"] == "设计"
    for placement in render.texts:
        for line in placement.block.lines:
            for run in line.runs:
                assert Path(run.face.path).parent == Path(fonts_mod.SHIPPED_DIR)
                assert missing_glyphs(run.face, run.text) == []


def test_right_to_left_text_is_shaped_by_the_arabic_face(no_system_fonts: None) -> None:
    faces = chain_for(ARABIC_TITLE + " 101", "bold")
    runs, dropped = split_runs(ARABIC_TITLE + " 101", faces)
    assert not dropped and len(runs) == 1  # one face: one bidi run, shaped as a whole
    assert Path(runs[0][0].path).name == "NotoSansArabic-Bold.ttf"
