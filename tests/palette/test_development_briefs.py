"""The issue's twelve development briefs: every contrast check passes and the brand stays exact where physics allows.

Physics: a primary needs 3:1 against its background, and no background is lighter than white or darker than
black, so the brand can be an exact light-variant primary only if it reaches 3:1 on white, and an exact
dark-variant primary only if it reaches 3:1 on black. Where it cannot, the smallest change is applied and
reported as CIEDE2000.
"""

import pytest

from themes.palette import Brief, generate, wcag_contrast
from themes.palette.development_briefs import DEVELOPMENT_BRIEFS as BRIEFS

from .helpers import assert_legal, de00


@pytest.fixture(scope="module")
def results():
    return {
        h: generate(Brief(brand_colors=[h], locks=[h], keywords=kw, candidates=3, starts=64, steps=20,
                          device="cpu")).to_dict()
        for h, kw in BRIEFS.items()
    }


@pytest.mark.parametrize("brand", list(BRIEFS))
def test_development_brief_passes_contrast_and_keeps_brand_exact_where_feasible(results, brand):
    result = results[brand]
    assert result["palettes"]
    feasible = {"colors": wcag_contrast(brand, "#FFFFFF") >= 3.0, "dark": wcag_contrast(brand, "#000000") >= 3.0}
    assert any(feasible.values())
    for palette in result["palettes"]:
        assert_legal(palette, 6)
        report = palette["brand"][0]
        assert report["locked"] and report["role"] == "primary"
        for variant, name in (("colors", "light"), ("dark", "dark")):
            primary = palette[variant]["primary"]
            assert report[name]["hex"] == primary
            assert report[name]["delta_e00"] == pytest.approx(de00(brand, primary), abs=0.01)
            if feasible[variant]:
                assert primary == brand
            else:
                assert report[name]["delta_e00"] > 0


def test_bright_yellow_moves_only_about_the_physical_minimum_on_light(results):
    moves = [p["brand"][0]["light"]["delta_e00"] for p in results["#F9A825"]["palettes"]]
    assert min(moves) < 14.0  # the issue: a bright yellow must move about dE00 11


def test_accents_are_clearly_apart_across_the_development_briefs(results):
    normal = sorted(r["palettes"][0]["distances"]["light"]["min_chromatic_normal"] for r in results.values())
    deut = sorted(r["palettes"][0]["distances"]["light"]["min_chromatic_deuteranopia"] for r in results.values())
    assert normal[len(normal) // 2] >= 15.0 and normal[0] >= 8.0
    assert deut[len(deut) // 2] >= 10.0
