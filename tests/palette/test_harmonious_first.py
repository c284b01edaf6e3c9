"""After the best-U candidate, alternatives whose both variants reach the Ou & Luo level rank first."""

import torch

from themes.palette.colorspace import hex_to_linear
from themes.palette.plan import Plan
from themes.palette.result import harmonious, meets_aims, select_diverse
from themes.palette.roles import chromatic_roles

# Palettes the engine produced (bench rank-1 of #00897B, #1E88E5 and #C62828): all meet the accent aims; the first
# two reach a mean Ou-Luo CH of 0.30 in both variants, the third not in its dark variant.
CALM = (["#FCFEFE", "#E8EDEB", "#3B4D47", "#00897B", "#0E3A25", "#6087A9"],
        ["#111B1D", "#273030", "#EFF3F6", "#00897B", "#98D5C0", "#B2DBFE"])
BLUE = (["#FEFEFE", "#E6F3F8", "#3D484D", "#1E88E5", "#525489", "#3B8887"],
        ["#111A1E", "#252A2E", "#EEF4F9", "#1E88E5", "#B3B7E3", "#B0F5F4"])
LOUD = (["#FDFAF4", "#EDE9E3", "#454341", "#C62828", "#745737", "#948D63"],
        ["#15120F", "#312D2B", "#F7F5F0", "#C62828", "#AC9C71", "#FFF4C6"])


def _entry(u: float, pair: tuple[list[str], list[str]]) -> tuple:
    return (u, hex_to_linear(pair[0]), hex_to_linear(pair[1]), {"U": u})


def test_the_fixture_palettes_differ_only_in_harmony():
    light = torch.stack([hex_to_linear(p[0]) for p in (CALM, BLUE, LOUD)])
    dark = torch.stack([hex_to_linear(p[1]) for p in (CALM, BLUE, LOUD)])
    assert meets_aims(light, dark).tolist() == [True, True, True]
    assert harmonious(light, dark).tolist() == [True, True, False]


def test_harmonious_alternatives_rank_before_higher_scoring_disharmonious_ones():
    plan = Plan(k=6, chrom_roles=chromatic_roles(6))
    chosen = select_diverse([_entry(3.0, BLUE), _entry(2.9, LOUD), _entry(2.5, CALM)], plan, 3)
    assert [c[0] for c in chosen] == [3.0, 2.5, 2.9]


def test_the_best_u_candidate_stays_first_even_when_disharmonious():
    plan = Plan(k=6, chrom_roles=chromatic_roles(6))
    chosen = select_diverse([_entry(2.9, LOUD), _entry(2.5, CALM)], plan, 2)
    assert [c[0] for c in chosen] == [2.9, 2.5]
