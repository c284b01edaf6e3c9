"""Shared fixtures for the cover renderer tests (pure Pillow; no Django or database)."""

from __future__ import annotations

import numpy as np
import pytest

from themes.covers import CoverRender
from themes.covers import fonts as fonts_mod

PALETTES: dict[str, dict[str, str]] = {
    "light-navy": {"background": "#f7f5ef", "surface": "#ece7da", "text": "#1d2433", "primary": "#1f4e8c",
                   "secondary": "#2a7f8f", "accent": "#f2a541"},
    "dark-neon": {"background": "#0f172a", "text": "#e2e8f0", "primary": "#a78bfa", "secondary": "#f472b6",
                  "accent": "#facc15"},
    # adversarial: every role a mid grey/near-duplicate, so nothing in the palette is legible on anything
    "mid-grey": {"background": "#777777", "surface": "#808080", "text": "#888888", "primary": "#7a7a7a",
                 "secondary": "#747474", "accent": "#7f7f7f"},
    "only-primary": {"primary": "#e11d48"},
}

#: titles issue 5 names as bad input (empty, 500 characters, control characters, mixed scripts, only emoji) and
#: their friends; every one must render (tests/covers/test_bad_input.py) and render the same bytes twice
#: (tests/covers/test_determinism.py)
AWKWARD_TITLES: list[str] = [
    "", "   ", "A" * 500, "Tab\tnew\nline\x00nul\x1b[31mansi\x7f\u202eevil", "Python 编程 العربية שלום Ελληνικά Кириллица",
    "\U0001F680\U0001F525\U0001F4AF", "\u0301\u0301\u0301", "\ud800 lone surrogate", "مرحبا بالعالم", "שלום עולם",
    "Tiếng Việt đặc biệt Ấ Ở", "\u200d\ufe0f\u200b",
]


@pytest.fixture
def no_system_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with no fonts installed (no COVER_FONT_DIRS, no /usr/share/fonts): only the shipped ones."""
    monkeypatch.delenv(fonts_mod.ENV_VAR, raising=False)
    monkeypatch.setattr(fonts_mod, "DEBIAN_DIRS", ())


@pytest.fixture(params=sorted(PALETTES))
def palette(request: pytest.FixtureRequest) -> dict[str, str]:
    return PALETTES[request.param]


def text_pixels_outside_boxes(render: CoverRender) -> int:
    """How many pixels the text drawing changed outside the recorded text boxes."""
    diff = np.any(np.asarray(render.image) != np.asarray(render.background), axis=2)
    mask = np.zeros_like(diff)
    for p in render.texts:
        x0, y0, x1, y1 = p.bbox
        mask[max(0, y0):y1, max(0, x0):x1] = True
    return int((diff & ~mask).sum())
