"""APCA Lc beside WCAG, tonal ramps per role, colour-vision-deficiency previews, and their place in the result."""

import colour
import numpy as np
import pytest
import torch

from themes.palette import Brief, generate
from themes.palette.apca import apca_lc
from themes.palette.colorspace import hex_to_linear, lab_to_lch, linear_to_oklab
from themes.palette.legibility import MACHADO_TRITANOPIA, simulate_cvd_hex, wcag_contrast
from themes.palette.tones import TONES, ramp_linear, tonal_ramps

from .helpers import FAST


@pytest.mark.parametrize(
    ("text", "background", "lc"),
    # Reference values published with the APCA-W3 0.0.98G-4g implementation.
    [("#000000", "#FFFFFF", 106.04), ("#FFFFFF", "#000000", -107.88), ("#888888", "#FFFFFF", 63.06),
     ("#FFFFFF", "#888888", -68.54), ("#000000", "#AAAAAA", 58.15), ("#AAAAAA", "#000000", -56.24)],
)
def test_apca_matches_the_reference_values(text, background, lc):
    assert apca_lc(text, background) == pytest.approx(lc, abs=0.01)


def test_apca_is_zero_for_identical_colours():
    assert apca_lc("#777777", "#777777") == 0.0


def test_tritanopia_matrix_is_machado_2009_as_colour_science_has_it():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = colour.matrix_cvd_Machado2009("Tritanomaly", 1)
    np.testing.assert_allclose(np.array(MACHADO_TRITANOPIA), expected, atol=1e-6)


def test_cvd_preview_merges_red_and_green_for_deuteranopia_and_blue_and_green_for_tritanopia():
    red, green = simulate_cvd_hex(["#D32F2F", "#388E3C"], "deuteranopia")
    assert abs(int(red[1:3], 16) - int(green[1:3], 16)) < 60  # red/green differences mostly collapse
    assert simulate_cvd_hex(["#FFFFFF"], "tritanopia") == ["#FFFFFF"]


@pytest.mark.parametrize("hex_value", ["#1E88E5", "#C62828", "#F9A825", "#212121"])
def test_a_tonal_ramp_keeps_the_hue_and_rises_in_lightness_from_black_to_white(hex_value):
    lin = ramp_linear(hex_value)[0]
    lch = lab_to_lch(linear_to_oklab(lin))
    assert torch.allclose(lch[:, 0], torch.tensor(TONES, dtype=lch.dtype) / 100, atol=5e-3)  # black: L ~ 0.003
    hue = float(lab_to_lch(linear_to_oklab(hex_to_linear(hex_value)))[2])
    chromatic = lch[:, 1] > 0.02
    gaps = ((lch[chromatic, 2] - hue + 180) % 360 - 180).abs()
    assert bool((gaps < 1.0).all())
    assert bool(((lin >= 0) & (lin <= 1)).all())


def test_ramps_report_contrast_on_the_variant_background():
    ramps = tonal_ramps({"background": "#FFFFFF", "surface": "#F2F2F2", "text": "#111111", "primary": "#1E88E5"})
    assert ramps["primary"]["0"]["hex"] == "#000000" and ramps["primary"]["100"]["hex"] == "#FFFFFF"
    tone40 = ramps["primary"]["40"]
    assert tone40["contrast"] == pytest.approx(wcag_contrast(tone40["hex"], "#FFFFFF"), abs=0.01)


def test_every_candidate_carries_apca_tones_and_cvd_previews_for_both_variants():
    palette = generate(Brief(brand_colors=["#1E88E5"], candidates=1, **FAST)).to_dict()["palettes"][0]
    for variant, colors in (("light", palette["colors"]), ("dark", palette["dark"])):
        apca = palette["apca"][variant]
        assert apca["text/background"] == pytest.approx(apca_lc(colors["text"], colors["background"]), abs=0.05)
        assert (apca["text/background"] > 0) == (variant == "light")  # polarity: dark text on light, and back
        assert set(palette["tones"][variant]) == set(colors)
        assert set(palette["cvd"][variant]) == {"deuteranopia", "protanopia", "tritanopia"}
        assert palette["cvd"][variant]["tritanopia"]["primary"] == simulate_cvd_hex([colors["primary"]],
                                                                                     "tritanopia")[0]
    assert palette["distances"]["light"]["min_chromatic_tritanopia"] is not None
