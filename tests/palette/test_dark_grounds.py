"""Dark grounds are a dimmed, brand-tinted charcoal (GitHub Primer's dark dimmed, Material's elevated surfaces)."""

import statistics

import pytest

from themes.palette import Brief, generate
from themes.palette.colorspace import hex_to_linear, linear_to_oklab
from themes.palette.development_briefs import DEVELOPMENT_BRIEFS
from themes.palette.objective import DARK_GROUND_MAX_L

BRIEFS = ["#1E88E5", "#2E7D32", "#6A1B9A", "#00897B", "#8D6E63", "#00B8D4"]


@pytest.fixture(scope="module")
def dark_grounds():
    rows = []
    for h in BRIEFS:
        palette = generate(Brief(brand_colors=[h], locks=[h], keywords=DEVELOPMENT_BRIEFS[h], candidates=1,
                                 starts=96, steps=25, device="cpu")).to_dict()["palettes"][0]
        ok = linear_to_oklab(hex_to_linear([palette["dark"]["background"], palette["dark"]["surface"]]))
        rows.append((float(ok[0, 0]), float(ok[1, 0])))
    return rows


def test_dark_grounds_are_a_dimmed_charcoal_not_near_black(dark_grounds):
    backgrounds = [bg for bg, _ in dark_grounds]
    surfaces = [surface for _, surface in dark_grounds]
    # near-black grounds (the old starts, OKLab L 0.12-0.22 / 0.18-0.28) gave medians near 0.15 / 0.25
    assert statistics.median(backgrounds) >= 0.18, dark_grounds
    assert statistics.median(surfaces) >= 0.28, dark_grounds
    # and still dark: under the caps (repair only darkens a dark ground) with the surface above the background
    assert max(backgrounds) <= DARK_GROUND_MAX_L[0] + 0.02, dark_grounds
    assert max(surfaces) <= DARK_GROUND_MAX_L[1] + 0.02, dark_grounds
