"""H(S): the Ou & Luo (2006) two-colour harmony model, pinned against a hand computation of the paper's formulas.

Ou, L.-C. & Luo, M. R. (2006), *A colour harmony model for two-colour combinations*, Color Res. Appl. 31(3):
191-204. For two CIELAB colours the predicted harmony is CH = H_C + H_L + H_H:

    H_C   = 0.04 + 0.53 tanh(0.8 - 0.045 dC),  dC = sqrt(dH*_ab^2 + (dC*_ab / 1.46)^2)
    H_L   = H_Lsum + H_dL
    H_Lsum = 0.28 + 0.54 tanh(-3.88 + 0.029 (L1 + L2))
    H_dL  = 0.14 + 0.15 tanh(-2 + 0.2 |L1 - L2|)
    H_H   = H_SY1 + H_SY2,  H_SY = E_C (H_S + E_Y)
    E_C   = 0.5 + 0.5 tanh(-2 + 0.5 C*_ab)
    H_S   = -0.08 - 0.14 sin(h_ab + 50 deg) - 0.07 sin(2 h_ab + 90 deg)
    E_Y   = ((0.22 L* - 12.8) / 10) exp((90 deg - h_ab) / 10 - exp((90 deg - h_ab) / 10))

The reference below is written independently of the engine: plain ``math`` on floats, and dH*_ab taken from
the hue angles (dH = 2 sqrt(C1 C2) sin(dh / 2), CIE 15) rather than the engine's a/b identity, so a slip in
either form shows up as a mismatch.
"""

import math

import pytest
import torch

from themes.palette.harmony import harmony_pairs, harmony_score, ou_luo_pair


def _lch(lab):
    L, a, b = lab
    return L, math.hypot(a, b), math.degrees(math.atan2(b, a)) % 360.0


def _h_sy(L, c, h):
    e_c = 0.5 + 0.5 * math.tanh(-2.0 + 0.5 * c)
    h_s = -0.08 - 0.14 * math.sin(math.radians(h + 50.0)) - 0.07 * math.sin(math.radians(2.0 * h + 90.0))
    x = (90.0 - h) / 10.0
    e_y = ((0.22 * L - 12.8) / 10.0) * math.exp(x - math.exp(x))
    return e_c * (h_s + e_y)


def ou_luo_by_hand(lab1, lab2):
    """CH of two CIELAB colours, term by term from the paper (returns the total and the parts)."""
    L1, c1, h1 = _lch(lab1)
    L2, c2, h2 = _lch(lab2)
    dh = (h2 - h1 + 180.0) % 360.0 - 180.0
    d_hue = 2.0 * math.sqrt(c1 * c2) * math.sin(math.radians(dh) / 2.0)
    d_c = math.sqrt(d_hue**2 + ((c1 - c2) / 1.46) ** 2)
    parts = {
        "H_C": 0.04 + 0.53 * math.tanh(0.8 - 0.045 * d_c),
        "H_Lsum": 0.28 + 0.54 * math.tanh(-3.88 + 0.029 * (L1 + L2)),
        "H_dL": 0.14 + 0.15 * math.tanh(-2.0 + 0.2 * abs(L1 - L2)),
        "H_SY1": _h_sy(L1, c1, h1),
        "H_SY2": _h_sy(L2, c2, h2),
    }
    return sum(parts.values()), parts


def engine_ch(lab1, lab2) -> float:
    return float(ou_luo_pair(torch.tensor(lab1, dtype=torch.float64), torch.tensor(lab2, dtype=torch.float64)))


# CIELAB pairs covering each term: neutrals (E_C ~ 0, only lightness acts), an analogous blue pair, a
# complementary red/green pair, a light yellow (h near 90 deg, where the E_Y "yellow effect" is largest), a
# pair straddling hue 0/360 and a dark, saturated purple against white.
PAIRS = [
    ((50.0, 0.0, 0.0), (80.0, 0.0, 0.0)),
    ((90.0, -5.0, -10.0), (70.0, -10.0, -25.0)),
    ((45.0, 65.0, 45.0), (45.0, -55.0, 45.0)),
    ((85.0, -5.0, 80.0), (30.0, 10.0, -40.0)),
    ((60.0, 40.0, 3.0), (55.0, 38.0, -4.0)),
    ((25.0, 45.0, -55.0), (100.0, 0.0, 0.0)),
    ((62.0, 20.0, 30.0), (40.0, -10.0, -45.0)),
]


@pytest.mark.parametrize(("lab1", "lab2"), PAIRS)
def test_ou_luo_pair_matches_the_papers_formulas_computed_by_hand(lab1, lab2):
    expected, _ = ou_luo_by_hand(lab1, lab2)
    assert engine_ch(lab1, lab2) == pytest.approx(expected, abs=1e-6)


def test_worked_example_neutral_grey_pair_term_by_term():
    # L 50 and L 80 greys: C = 0, h = 0, so dC = 0 and only lightness (and the small E_C floor) acts.
    h_c = 0.04 + 0.53 * math.tanh(0.8)  # 0.04 + 0.53 * 0.66404 = 0.39194
    h_lsum = 0.28 + 0.54 * math.tanh(-3.88 + 0.029 * 130.0)  # 0.28 + 0.54 * tanh(-0.11) = 0.22084
    h_dl = 0.14 + 0.15 * math.tanh(-2.0 + 0.2 * 30.0)  # 0.14 + 0.15 * tanh(4) = 0.28990
    e_c = 0.5 + 0.5 * math.tanh(-2.0)  # 0.01799
    h_s = -0.08 - 0.14 * math.sin(math.radians(50.0)) - 0.07 * math.sin(math.radians(90.0))  # -0.25725
    e_y = lambda L: ((0.22 * L - 12.8) / 10.0) * math.exp(9.0 - math.exp(9.0))  # noqa: E731 - ~0 away from yellow
    expected = h_c + h_lsum + h_dl + e_c * (h_s + e_y(50.0)) + e_c * (h_s + e_y(80.0))
    assert expected == pytest.approx(0.8934, abs=1e-4)  # 0.39194 + 0.22084 + 0.28990 - 2 * 0.00463
    assert engine_ch((50.0, 0.0, 0.0), (80.0, 0.0, 0.0)) == pytest.approx(expected, abs=1e-6)


def test_yellow_effect_raises_harmony_of_a_light_yellow_and_lowers_it_for_a_dark_one():
    # E_Y is positive for L* > 58.2 (0.22 L - 12.8 > 0) near h = 90 deg and negative below it: the paper's
    # "light yellows look harmonious, dark yellows (olive) do not".
    _, light = ou_luo_by_hand((85.0, -5.0, 80.0), (85.0, -5.0, 80.0))
    _, dark = ou_luo_by_hand((40.0, -5.0, 60.0), (40.0, -5.0, 60.0))
    assert light["H_SY1"] > dark["H_SY1"]
    assert engine_ch((85.0, -5.0, 80.0), (60.0, 0.0, 0.0)) > engine_ch((40.0, -5.0, 60.0), (60.0, 0.0, 0.0))


def test_pair_harmony_is_symmetric():
    for lab1, lab2 in PAIRS:
        assert engine_ch(lab1, lab2) == pytest.approx(engine_ch(lab2, lab1), abs=1e-9)


HARMONIOUS = [
    ((90.0, -5.0, -10.0), (70.0, -10.0, -25.0)),  # light blues, analogous, clear lightness step
    ((92.0, 2.0, 8.0), (70.0, 8.0, 25.0)),  # cream and light tan
    ((95.0, 0.0, 0.0), (75.0, 0.0, 0.0)),  # light greys
]
CLASHING = [
    ((45.0, 65.0, 45.0), (45.0, -55.0, 45.0)),  # saturated red against green, equal lightness
    ((35.0, 60.0, -70.0), (40.0, -40.0, 40.0)),  # dark violet against dark green
    ((30.0, 50.0, 40.0), (32.0, 10.0, -50.0)),  # dark red against dark blue, equal lightness
]


def test_clearly_harmonious_pairs_score_positive_and_above_every_clashing_pair():
    good = [engine_ch(a, b) for a, b in HARMONIOUS]
    bad = [engine_ch(a, b) for a, b in CLASHING]
    assert min(good) > 0.0 > max(bad), (good, bad)


def test_larger_chromatic_difference_lowers_harmony_all_else_equal():
    base = (60.0, 30.0, 20.0)
    near, far = (60.0, 25.0, 30.0), (60.0, -30.0, -20.0)
    assert engine_ch(base, near) > engine_ch(base, far)


def test_higher_lightness_sum_raises_harmony_all_else_equal():
    assert engine_ch((80.0, 0.0, 0.0), (95.0, 0.0, 0.0)) > engine_ch((20.0, 0.0, 0.0), (35.0, 0.0, 0.0))


def _palette(labs):
    return torch.tensor(labs, dtype=torch.float64)


def test_harmony_score_is_squashed_mean_over_every_pair_of_roles():
    # rows: background, surface, text, primary, secondary, accent
    labs = [(97.0, 0.0, 1.0), (93.0, 0.0, 2.0), (15.0, 0.0, 0.0), (45.0, 10.0, -55.0), (70.0, -35.0, 20.0),
            (65.0, 45.0, 55.0)]
    pairs = [(i, j) for i in range(6) for j in range(i + 1, 6)]
    assert list(zip(*harmony_pairs(3), strict=True)) == pairs
    mean_ch = sum(ou_luo_by_hand(labs[i], labs[j])[0] for i, j in pairs) / len(pairs)
    expected = 0.5 * (1.0 + math.tanh(mean_ch))
    assert float(harmony_score(_palette(labs))) == pytest.approx(expected, abs=1e-6)


def test_harmony_score_sees_surface_and_text():
    # The examples: a peach surface under a cyan-tinted background, a pink text on a dark background
    # score lower than the same palette with brand-neutral surface and text.
    labs = [(97.0, -3.0, -3.0), (93.0, 0.0, 2.0), (15.0, 0.0, 0.0), (45.0, 10.0, -55.0), (70.0, -35.0, 20.0)]
    peach = [labs[0], (92.0, 8.0, 14.0), *labs[2:]]
    pink_text = [*labs[:2], (85.0, 25.0, -5.0), *labs[3:]]
    base = float(harmony_score(_palette(labs)))
    assert float(harmony_score(_palette(peach))) < base
    assert float(harmony_score(_palette(pink_text))) != base


def test_harmony_score_stays_in_unit_interval_over_random_and_extreme_palettes():
    from themes.palette.colorspace import linear_to_lab

    gen = torch.Generator().manual_seed(7)
    lin = torch.rand(4096, 8, 3, generator=gen, dtype=torch.float64)
    corners = torch.tensor([[0, 0, 0], [1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0, 1, 1], [1, 0, 1]],
                           dtype=torch.float64)
    extreme = corners[torch.randint(0, 8, (512, 8), generator=gen)]
    h = harmony_score(linear_to_lab(torch.cat((lin, extreme))))
    assert h.shape == (4096 + 512,)
    assert bool(((h >= 0.0) & (h <= 1.0)).all())
    assert float(h.max() - h.min()) > 0.2  # it discriminates, rather than sitting at a constant


def test_harmony_gradient_is_finite_for_greys_and_identical_colours():
    labs = _palette([(97.0, 0.0, 0.0), (93.0, 0.0, 0.0), (15.0, 0.0, 0.0), (50.0, 0.0, 0.0), (50.0, 0.0, 0.0)])
    labs.requires_grad_(True)
    harmony_score(labs).backward()
    assert bool(torch.isfinite(labs.grad).all())


@pytest.mark.parametrize("n_chrom", [1, 3, 7])
def test_harmony_score_per_colour_hue_effect_equals_the_mean_over_pairs_of_ou_luo_pair(n_chrom):
    # harmony_score takes Ou-Luo's hue effect once per colour (2 / n times their sum) instead of twice per pair;
    # pinned against the plain mean of ou_luo_pair over every pair, for several palette sizes and a batch.
    from themes.palette.colorspace import linear_to_lab

    gen = torch.Generator().manual_seed(n_chrom)
    lab = linear_to_lab(torch.rand(64, 3 + n_chrom, 3, generator=gen, dtype=torch.float64))
    first, second = harmony_pairs(n_chrom)
    mean_ch = ou_luo_pair(lab[:, first], lab[:, second]).mean(-1)
    assert torch.allclose(harmony_score(lab), 0.5 * (1.0 + torch.tanh(mean_ch)), atol=1e-12)
