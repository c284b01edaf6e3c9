"""Light-ground text is a brand-tinted slate ink (OKLab L 0.37-0.45), and its tint may fade to grey."""

import math

import pytest
import torch

from themes.palette import Brief, generate
from themes.palette.colorspace import hex_to_linear, lab_to_lch, linear_to_oklab
from themes.palette.objective import INK_L, TEXT_MAX_CHROMA
from themes.palette.scheme import NEUTRAL_TINT, TINT_RADIUS, tint_band_distance2, tint_distance2


def _oklab_lch(L: float, c: float, h_deg: float) -> list[float]:
    h = math.radians(h_deg)
    return [L, c * math.cos(h), c * math.sin(h)]


@pytest.mark.parametrize(("brand", "keywords"), [("#1E88E5", "tech, trust"), ("#2E7D32", "growth, nature")])
def test_light_text_is_a_slate_ink_not_near_black(brand, keywords):
    palette = generate(Brief(brand_colors=[brand], locks=[brand], keywords=keywords, candidates=1, starts=96,
                             steps=25, device="cpu")).to_dict()["palettes"][0]
    L, c, h = (float(x) for x in lab_to_lch(linear_to_oklab(hex_to_linear(palette["colors"]["text"]))))
    lo, hi = INK_L["light"]
    # the slate band (Tailwind's slate-600/700 lie at OKLab L 0.45/0.37); the old ink sat at 0.28-0.36
    assert lo - 0.01 <= L <= hi + 0.01, (palette["colors"], L)
    assert L > 0.365, (palette["colors"], L)
    assert c <= TEXT_MAX_CHROMA["light"] + 0.005, (palette["colors"], c)
    brand_h = float(lab_to_lch(linear_to_oklab(hex_to_linear(brand)))[2])
    if c > 0.015:  # a tinted ink carries the brand's hue, no other
        assert abs((h - brand_h + 180.0) % 360.0 - 180.0) <= 30.0, (palette["colors"], h, brand_h)


def test_text_tint_band_runs_from_grey_to_the_brand_tint_and_grounds_keep_their_tint():
    red = torch.tensor(_oklab_lch(0.55, 0.18, 28.0), dtype=torch.float64)
    target = NEUTRAL_TINT["light"]
    strength = 0.18 / (0.18 + 0.02)
    grey_ink = torch.tensor([_oklab_lch(0.98, target[0] * strength, 28.0), _oklab_lch(0.94, target[1] * strength, 28.0),
                             [0.40, 0.0, 0.0]], dtype=torch.float64)
    band = tint_band_distance2(grey_ink, red, "light").sqrt()
    point = tint_distance2(grey_ink, red, "light").sqrt()
    assert float(band.max()) < 1e-6  # tinted grounds and a grey ink are all inside their bands
    assert float(point[2]) > 0.02  # though the grey ink is far from its tinted target
    half_ink = torch.tensor([_oklab_lch(0.40, 0.5 * target[2] * strength, 28.0)] * 3, dtype=torch.float64)
    assert float(tint_band_distance2(half_ink, red, "light")[2]) < 1e-10
    # grounds may not fade to grey: a grey background is its whole target away, past the radius
    grey_grounds = torch.tensor([[0.98, 0.0, 0.0], [0.94, 0.0, 0.0], [0.40, 0.0, 0.0]], dtype=torch.float64)
    assert float(tint_band_distance2(grey_grounds, red, "light")[1].sqrt()) > TINT_RADIUS
    # and no neutral may take another hue: a cyan-tinted ink is outside the band
    cyan_ink = torch.tensor([_oklab_lch(0.40, 0.03, 200.0)] * 3, dtype=torch.float64)
    assert float(tint_band_distance2(cyan_ink, red, "light")[2].sqrt()) > 2 * TINT_RADIUS
