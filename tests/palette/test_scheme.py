"""Accents that belong to the brand: scheme sectors around the brand hue, tinted neutrals, keyword schemes."""

import math

import pytest
import torch

from themes.palette import Brief, generate
from themes.palette.colorspace import hex_to_linear, lab_to_lch, linear_to_oklab
from themes.palette.development_briefs import DEVELOPMENT_BRIEFS
from themes.palette.lexicon import lookup
from themes.palette.scheme import SCHEMES, neutral_tint_fit, resolve_scheme, scheme_fit, tint_offset


def _oklch(hexes):
    return lab_to_lch(linear_to_oklab(hex_to_linear(hexes)))


def _hue_gap(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


@pytest.fixture(scope="module")
def dev_results():
    return {
        h: generate(Brief(brand_colors=[h], locks=[h], keywords=kw, candidates=1, starts=96, steps=25,
                          device="cpu")).to_dict()["palettes"][0]
        for h, kw in DEVELOPMENT_BRIEFS.items()
    }


def test_accent_hues_vary_with_the_brand_hue_across_the_development_briefs(dev_results):
    # Chromatic brands only (a grey brand has no hue to relate to).
    on_sector, accent_hues = [], []
    for brand, palette in dev_results.items():
        lch = _oklch([brand])[0]
        if float(lch[1]) < 0.04:
            continue
        sectors = SCHEMES[resolve_scheme("auto", lookup(DEVELOPMENT_BRIEFS[brand])[0])]
        for role in ("secondary", "accent"):
            hue = float(_oklch([palette["colors"][role]])[0, 2])
            accent_hues.append(hue)
            on_sector.append(min(_hue_gap(hue, float(lch[2]) + o) for o in sectors) <= 25.0)
    assert len(accent_hues) >= 18
    # accents sit on the scheme's sectors around each brief's own brand hue ...
    assert sum(on_sector) >= 0.8 * len(on_sector), on_sector
    # ... so they spread round the hue circle with the brands instead of being one fixed pair
    assert len({int(h // 30) for h in accent_hues}) >= 7, sorted(round(h) for h in accent_hues)


def test_neutrals_are_tinted_toward_the_brand_hue_with_low_chroma(dev_results):
    for brand, palette in dev_results.items():
        brand_ok = linear_to_oklab(hex_to_linear(brand))
        for variant, name in (("colors", "light"), ("dark", "dark")):
            neutrals = linear_to_oklab(hex_to_linear([palette[variant][r] for r in ("background", "surface", "text")]))
            primary = linear_to_oklab(hex_to_linear(palette[variant]["primary"]))
            # every neutral sits near its brand-tinted target (a grey brand: near grey)
            assert bool((tint_offset(neutrals, primary, name) <= 0.012).all()), (brand, variant, palette[variant])
            # the tinted ones (a light variant's ink may be grey: it carries no hue) lean toward the brand's hue
            tinted = neutrals[neutrals[:, 1:].norm(dim=-1) >= 0.005]
            mean_ab = tinted[:, 1:].mean(0)
            if float(brand_ok[1:].norm()) >= 0.08 and len(tinted):
                gap = _hue_gap(math.degrees(math.atan2(float(mean_ab[1]), float(mean_ab[0]))),
                               math.degrees(math.atan2(float(brand_ok[2]), float(brand_ok[1]))))
                assert gap <= 45.0, (brand, variant, palette[variant])


@pytest.mark.parametrize(
    ("keywords", "scheme"),
    [("", "analogous"), ("calm, trust", "analogous"), ("bold", "complementary"), ("fun, kids", "triadic"),
     ("创意", "split-complementary"), ("活力, 热情", "analogous")],
)
def test_auto_scheme_comes_from_the_keywords(keywords, scheme):
    regions, _ = lookup(keywords)
    assert resolve_scheme("auto", regions) == scheme
    assert resolve_scheme("triadic", regions) == "triadic"


def _oklab_lch(L, c, h_deg):
    h = math.radians(h_deg)
    return [L, c * math.cos(h), c * math.sin(h)]


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_scheme_fit_prefers_accents_on_the_schemes_sectors(scheme):
    primary_hue = 250.0
    on = [primary_hue + SCHEMES[scheme][1], primary_hue + SCHEMES[scheme][-1]]
    off = [primary_hue + 90.0, primary_hue + 95.0] if scheme != "analogous" else [primary_hue + 180.0] * 2
    if scheme == "triadic":
        off = [primary_hue + 60.0, primary_hue - 60.0]

    def fit(hues):
        rows = [_oklab_lch(0.55, 0.12, primary_hue)] + [_oklab_lch(0.7, 0.05, h) for h in hues]
        return float(scheme_fit(torch.tensor([rows], dtype=torch.float64), scheme)[0])

    assert fit(on) > 0.9 and fit(off) < 0.3


def test_neutral_tint_fit_rewards_brand_tinted_greys_and_accepts_pure_greys_for_a_grey_brand():
    blue = torch.tensor(_oklab_lch(0.55, 0.15, 250.0), dtype=torch.float64)
    grey = torch.tensor([0.3, 0.0, 0.0], dtype=torch.float64)
    tinted = torch.tensor([_oklab_lch(0.98, 0.008, 250.0), _oklab_lch(0.94, 0.014, 250.0),
                           _oklab_lch(0.25, 0.016, 250.0)], dtype=torch.float64)
    peach = torch.tensor([_oklab_lch(0.98, 0.03, 60.0), _oklab_lch(0.94, 0.04, 60.0),
                          _oklab_lch(0.25, 0.03, 350.0)], dtype=torch.float64)
    pure = torch.tensor([[0.98, 0.0, 0.0], [0.94, 0.0, 0.0], [0.25, 0.0, 0.0]], dtype=torch.float64)
    assert float(neutral_tint_fit(tinted, blue, "light")) > 0.8
    assert float(neutral_tint_fit(peach, blue, "light")) < 0.1
    assert float(neutral_tint_fit(pure, grey, "light")) > 0.9


def test_explicit_scheme_moves_the_accents():
    def accent_gaps(scheme):
        palette = generate(Brief(brand_colors=["#1E88E5"], locks=["#1E88E5"], scheme=scheme, candidates=1,
                                 starts=96, steps=25, device="cpu")).to_dict()["palettes"][0]
        lch = _oklch([palette["colors"][r] for r in ("primary", "secondary", "accent")])
        return max(_hue_gap(float(lch[0, 2]), float(x)) for x in lch[1:, 2])

    assert accent_gaps("analogous") <= 80.0
    assert accent_gaps("complementary") >= 120.0


@pytest.mark.parametrize("scheme", ["analogous", "complementary", "triadic"])
def test_grey_brand_supporting_colours_follow_the_first_supporting_colours_hue_family(scheme):
    # A grey primary has no hue: the secondary may take any hue, and the accent is placed by the scheme around
    # the secondary's hue (an unrelated accent hue scores lower). With a chromatic primary nothing changes.
    def fit(primary_chroma, secondary_hue, accent_hue):
        rows = [_oklab_lch(0.3, primary_chroma, 250.0), _oklab_lch(0.5, 0.05, secondary_hue),
                _oklab_lch(0.65, 0.05, accent_hue)]
        return float(scheme_fit(torch.tensor([rows], dtype=torch.float64), scheme)[0])

    for secondary in (30.0, 150.0, 280.0):
        on = fit(0.0, secondary, secondary + SCHEMES[scheme][-1])
        off = fit(0.0, secondary, secondary + 90.0)
        assert on > 0.9 and off < 0.7
    # the secondary's own hue is free for a grey brand
    assert fit(0.0, 30.0, 30.0) == pytest.approx(fit(0.0, 200.0, 200.0), abs=1e-9)
    # chromatic primary: accent and secondary are each placed around the primary, not around each other
    assert fit(0.15, 250.0, 250.0 + SCHEMES[scheme][-1]) > 0.9
