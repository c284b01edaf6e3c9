"""Font lookup and glyph coverage: CJK glyphs are real, missing glyphs are dropped with a warning."""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

import pytest
from PIL import ImageFont

from themes.covers import CoverSpec, find_font, missing_glyphs, render_cover_detailed
from themes.covers import fonts as fonts_mod
from themes.covers.fonts import Face, chain_for, get_font, split_runs

CJK_TITLE = "零基础学编程：从入门到精通"


def require_font(role: str, package: str) -> str:
    """The font file for ``role``; a missing font skips the test locally but fails it under CI (``CI`` set), where
    .ci/run installs the fonts, so a broken lookup can never pass CI as a row of skips (as tests/conftest.py
    does for chromium)."""
    path = find_font(role, "bold")
    if path is None:
        message = f"no {role} font found (apt-get install {package}; or set COVER_FONT_DIRS)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: fonts are required in CI")
        pytest.skip(message)
    return path


def _cjk_font() -> ImageFont.FreeTypeFont:
    path = require_font("cjk", "fonts-noto-cjk")
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


def test_latin_font_lacks_cjk_and_says_so() -> None:
    path = require_font("latin", "fonts-dejavu-core")
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
    src = require_font("latin", "fonts-dejavu-core")
    nested = tmp_path / "fonts" / "sub"
    nested.mkdir(parents=True)
    shutil.copy(src, nested / os.path.basename(src))
    monkeypatch.setenv("COVER_FONT_DIRS", str(tmp_path / "fonts"))
    assert find_font("latin", "bold") == str(nested / os.path.basename(src))


def test_a_missing_cjk_font_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "find_font", lambda role, weight="bold": None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        _cjk_font()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="fonts-noto-cjk"):
        _cjk_font()
