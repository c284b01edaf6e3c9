"""Text colour meets WCAG 4.5:1 against the rendered pixels behind it."""

from __future__ import annotations

import numpy as np
import pytest

from themes.covers import BUILTIN_LAYOUTS, CARD_SIZE, THUMB_SIZE, CoverSpec, render_cover_detailed
from themes.covers.wcag import contrast_ratio, luminance_array, min_contrast_against, parse_hex


def test_wcag_reference_values() -> None:
    assert contrast_ratio((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast_ratio(parse_hex("#777777"), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(parse_hex("#767676"), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)


def test_min_contrast_is_the_worst_pixel() -> None:
    lum = luminance_array(np.array([[[255, 255, 255], [0, 0, 0]]], dtype=np.uint8))
    assert min_contrast_against((255, 255, 255), lum) == pytest.approx(1.0)


@pytest.mark.parametrize("size", [CARD_SIZE, THUMB_SIZE])
@pytest.mark.parametrize("layout", [lay.name for lay in BUILTIN_LAYOUTS])
def test_every_text_meets_4_5_to_1_on_the_pixels_behind_it(layout: str, size: tuple[int, int],
                                                           palette: dict[str, str]) -> None:
    spec = CoverSpec(title="Watercolour for Absolute Beginners", subtitle="Loose florals in ten lessons",
                     creator="Mia Chen", category="Art", course_id=5, palette=palette, layout=layout, size=size)
    render = render_cover_detailed(spec)
    assert render.texts
    bg = np.asarray(render.background)
    img = np.asarray(render.image)
    for p in render.texts:
        x0, y0, x1, y1 = p.bbox
        behind = luminance_array(bg[y0:y1, x0:x1])
        assert min_contrast_against(p.color, behind) >= 4.5, (p.role, p.color)
        # The final image agrees: every pixel in the box that is not text-coloured ink is background.
        region = img[y0:y1, x0:x1].astype(int)
        untouched = np.all(region == bg[y0:y1, x0:x1], axis=2)
        assert untouched.any()
        assert min_contrast_against(p.color, luminance_array(img[y0:y1, x0:x1][untouched])) >= 4.5


def test_illegible_palette_gets_a_scrim_or_black_and_white_ink() -> None:
    grey = {r: "#777777" for r in ("background", "surface", "text", "primary", "secondary", "accent")}
    render = render_cover_detailed(CoverSpec(title="Grey on grey", palette=grey, layout="geometric"))
    title = next(p for p in render.texts if p.role == "title")
    assert title.color in {(255, 255, 255), (0, 0, 0), (17, 24, 39)} or title.scrim is not None
