"""Shared fixtures for the cover renderer tests (pure Pillow; no Django or database)."""

from __future__ import annotations

import numpy as np
import pytest

from themes.covers import CoverRender

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
