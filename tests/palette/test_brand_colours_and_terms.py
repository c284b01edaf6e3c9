"""Pick K of C brand colours (up to 8, with locks) and differentiable objective terms inside the optimiser."""

import pytest
import torch

from themes.palette import DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA, Brief, generate
from themes.palette.colorspace import linear_to_oklab
from themes.palette.objective import Term

from .helpers import assert_legal, de00

BRAND = ["#2196F3", "#4CAF50", "#FFC107", "#F44336", "#9C27B0", "#00BCD4", "#795548", "#E91E63"]


def test_eight_brand_colours_with_locks_show_k_of_them_and_keep_the_locks_exact():
    brief = Brief(brand_colors=BRAND, locks=["#2196F3", "#4CAF50:secondary"], candidates=3, starts=128, steps=30,
                  device="cpu")
    result = generate(brief).to_dict()
    showing = []
    for palette in result["palettes"]:
        assert_legal(palette, 6)
        assert palette["colors"]["primary"] == "#2196F3" and palette["colors"]["secondary"] == "#4CAF50"
        assert palette["dark"]["secondary"] == "#4CAF50"
        report = {e["hex"]: e for e in palette["brand"]}
        assert len(report) == 8
        shown = [e for e in report.values() if e["shown"]]
        assert all(e["locked"] or e["light"]["delta_e00"] <= 10.0 for e in shown)
        showing.append(len(shown))
    # beside the two locks the free role shows one of the six other brand colours in the best candidate (it may
    # give way in the others where the accent aims, harmony or diversity ask for another colour)
    assert all(n >= 2 for n in showing) and showing[0] == 3, showing


def test_the_free_roles_take_brand_colours_when_there_are_more_brand_colours_than_roles():
    palette = generate(Brief(brand_colors=BRAND[:5], candidates=1, starts=128, steps=30,
                             device="cpu")).to_dict()["palettes"][0]
    chromatic = [palette["colors"][r] for r in ("primary", "secondary", "accent")]
    near = [min(de00(c, b) for b in BRAND[:5]) for c in chromatic]
    assert sum(d < 8.0 for d in near) >= 2, (chromatic, near)


def _greenness(light: torch.Tensor, dark: torch.Tensor) -> torch.Tensor:
    """A plugin-style term: how green (negative OKLab a) the light accent is, in [0, 1]."""
    a = linear_to_oklab(light[:, 5])[:, 1]
    return torch.sigmoid(-a / 0.03)


def test_a_differentiable_term_steers_the_optimiser_and_is_reported():
    base = dict(brand_colors=["#C62828"], locks=["#C62828"], keywords="energy", candidates=1, starts=96, steps=30,
                device="cpu")
    plain = generate(Brief(**base)).to_dict()["palettes"][0]
    steered = generate(Brief(**base, terms=[Term("green_accent", 3.0, _greenness)])).to_dict()["palettes"][0]
    assert "green_accent" in steered["scores"] and "green_accent" not in plain["scores"]
    assert steered["scores"]["green_accent"] > 0.8
    from themes.palette.colorspace import hex_to_linear

    def a_of(hex_value):
        return float(linear_to_oklab(hex_to_linear(hex_value))[1])

    assert a_of(steered["colors"]["accent"]) < a_of(plain["colors"]["accent"]) - 0.03
    assert_legal(steered, 6)
    s = steered["scores"]
    assert s["U"] == pytest.approx(DEFAULT_ALPHA * s["H"] + DEFAULT_BETA * s["V"] + DEFAULT_GAMMA * s["B"]
                                   + 3.0 * s["green_accent"], abs=2e-3)


def test_seed_distances_follow_a_replaced_seed_tensor():
    # evaluate() caches the seeds' CIELAB/OKLab per seeds tensor; the generator swaps in a float64 copy for
    # repair and ranking, and a different brand colour must change the seed distances, never reuse stale ones.
    from themes.palette.colorspace import hex_to_linear
    from themes.palette.objective import Context, evaluate

    light = hex_to_linear(["#FFFFFF", "#F2F2F2", "#222222", "#1E88E5", "#2E7D32", "#C62828"])[None]
    dark = hex_to_linear(["#101010", "#202020", "#EEEEEE", "#1E88E5", "#81C784", "#EF9A9A"])[None]

    def ctx(seed: str) -> Context:
        return Context(1.0, 1.0, 1.0, hex_to_linear([seed]), [], {"light": True, "dark": True}, False)

    near, far = ctx("#1E88E5"), ctx("#FFB300")
    b_near = float(evaluate(light, dark, near)["B"])
    assert float(evaluate(light, dark, far)["B"]) < b_near
    near.seeds_lin = hex_to_linear(["#FFB300"])  # same context, new seeds tensor
    assert float(evaluate(light, dark, near)["B"]) == pytest.approx(float(evaluate(light, dark, far)["B"]))
    assert float(evaluate(light.float(), dark.float(), far)["B"]) == pytest.approx(
        float(evaluate(light, dark, far)["B"]), abs=1e-5)
