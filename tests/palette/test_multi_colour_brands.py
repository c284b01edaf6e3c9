"""Multi-colour brands: an unlocked second brand colour is shown in both variants (pick K of C as a penalty)."""

import torch

from themes.palette import Brief, generate
from themes.palette.colorspace import delta_e_2000, hex_to_linear, linear_to_lab, linear_to_oklab
from themes.palette.development_briefs import MULTI_DEVELOPMENT_BRIEFS
from themes.palette.objective import SEED_SHOWN_DE00, _seeds_unshown

from .helpers import assert_legal, de00


def _seed_d(seeds: list[str], roles: list[str]) -> torch.Tensor:
    """(2, 1, seeds, roles) CIEDE2000, the same roles in both variants."""
    s = linear_to_lab(hex_to_linear(seeds))[:, None]
    r = linear_to_lab(hex_to_linear(roles))[None]
    return delta_e_2000(s, r)[None, None].expand(2, 1, -1, -1)


def test_the_unshown_penalty_is_zero_when_every_picked_seed_is_a_role_and_grows_with_the_miss():
    seeds = ["#1565C0", "#FF8F00"]
    ok = linear_to_oklab(hex_to_linear(seeds))
    shown = _seeds_unshown(_seed_d(seeds, ["#1565C0", "#FF8F00", "#00897B"]), ok, 3)
    near = _seeds_unshown(_seed_d(seeds, ["#1565C0", "#FF9A20", "#00897B"]), ok, 3)
    far = _seeds_unshown(_seed_d(seeds, ["#1565C0", "#7E57C2", "#00897B"]), ok, 3)
    assert float(shown) == 0.0
    assert 0.0 < float(near) < float(far)
    # pick K of C: with one chromatic role to fill, only the best-shown seed counts
    assert float(_seeds_unshown(_seed_d(seeds, ["#1565C0"]), ok, 1)) == 0.0


def test_grey_brand_colours_are_not_asked_of_the_chromatic_roles():
    seeds = ["#1565C0", "#263238"]
    ok = linear_to_oklab(hex_to_linear(seeds))
    assert float(_seeds_unshown(_seed_d(seeds, ["#1565C0", "#FF8F00"]), ok, 2)) == 0.0


def test_an_unlocked_second_brand_colour_appears_in_light_and_dark():
    spec = MULTI_DEVELOPMENT_BRIEFS[0]  # locked blue primary, unlocked orange
    brief = Brief(brand_colors=spec["brand_colors"], locks=spec["locks"], keywords=spec["keywords"], candidates=1,
                  device="cpu")
    palette = generate(brief).to_dict()["palettes"][0]
    assert_legal(palette, 6)
    second = spec["brand_colors"][1]
    for variant in ("colors", "dark"):
        nearest = min(de00(second, h) for h in palette[variant].values())
        assert nearest <= 3 * SEED_SHOWN_DE00, (variant, palette[variant])
