"""WCAG contrast, CVD simulation and the repair projection."""

import colour
import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from themes.palette import wcag_contrast
from themes.palette.colorspace import hex_to_linear, linear_to_hex
from themes.palette.legibility import MACHADO_DEUTERANOPIA, MACHADO_PROTANOPIA, soft_min
from themes.palette.repair import check_variant, repair_variant


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        ("#767676", "#FFFFFF", 4.54),  # the lightest grey that passes AA on white
        ("#777777", "#FFFFFF", 4.48),
        ("#0000FF", "#FFFFFF", 8.59),
        ("#FF0000", "#FFFFFF", 4.0),
    ],
)
def test_wcag_contrast_matches_known_pairs(a, b, ratio):
    assert wcag_contrast(a, b) == pytest.approx(ratio, abs=0.01)
    assert wcag_contrast(b, a) == pytest.approx(ratio, abs=0.01)


def test_machado_matrices_are_colour_science_severity_one():
    for name, ours in (("Deuteranomaly", MACHADO_DEUTERANOPIA), ("Protanomaly", MACHADO_PROTANOPIA)):
        assert np.allclose(np.array(ours), colour.blindness.matrix_cvd_Machado2009(name, 1.0), atol=1e-6)


def test_soft_min_lies_between_min_and_mean():
    x = torch.tensor([[3.0, 10.0, 40.0]])
    s = float(soft_min(x, 2.0))
    assert 3.0 <= s <= float(x.mean())
    assert float(soft_min(x, 0.01)) == pytest.approx(3.0, abs=0.05)


hex_colour = st.integers(0, 0xFFFFFF).map(lambda v: f"#{v:06X}")


@settings(max_examples=40, deadline=None)
@given(st.lists(hex_colour, min_size=6, max_size=6), st.sampled_from(["light", "dark"]))
def test_repair_makes_any_free_palette_legal_on_rounded_hex(colours, variant):
    pal = hex_to_linear(colours)[None]
    fixed, ok = repair_variant(pal, variant, set())
    assert bool(ok[0])
    assert bool(check_variant(fixed)[0])
    bg, surface, text, primary = linear_to_hex(fixed[0])[:4]
    assert wcag_contrast(text, bg) >= 4.5 and wcag_contrast(text, surface) >= 4.5
    assert wcag_contrast(primary, bg) >= 3.0


def test_repair_leaves_locked_rows_untouched_and_flags_infeasible_locks():
    pal = hex_to_linear(["#FFFFFF", "#F0F0F0", "#000000", "#F9A825", "#2E7D32", "#C62828"])[None]
    fixed, ok = repair_variant(pal, "light", {3})  # yellow must stay exact on light: impossible
    assert not bool(ok[0])
    fixed, ok = repair_variant(pal, "dark", {3})  # but fine on dark
    assert bool(ok[0]) and linear_to_hex(fixed[0])[3] == "#F9A825"
