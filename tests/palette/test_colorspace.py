"""Colour conversions in torch agree with colour-science 0.4 on thousands of random colours (max abs err <= 1e-4)."""

import colour
import numpy as np
import pytest
import torch

from themes.palette import colorspace as cs

TOL = 1e-4
N = 4000


@pytest.fixture(scope="module")
def srgb() -> np.ndarray:
    rng = np.random.default_rng(20260101)
    rgb = rng.random((N, 3))
    rgb[:8] = 0.0
    rgb[8:16] = 1.0
    rgb[16:64] = rng.random((48, 1))  # greys: hue is undefined there
    rgb[64:128] = rng.integers(0, 256, (64, 3)) / 255.0  # exact 8-bit values
    return rgb


def _t(x: np.ndarray) -> torch.Tensor:
    return torch.tensor(x, dtype=torch.float64)


def test_srgb_linear_roundtrip_matches_colour_science(srgb):
    lin = cs.srgb_to_linear(_t(srgb)).numpy()
    assert np.abs(lin - colour.cctf_decoding(srgb, "sRGB")).max() <= TOL
    back = cs.linear_to_srgb(_t(lin)).numpy()
    assert np.abs(back - colour.cctf_encoding(lin, "sRGB")).max() <= TOL
    assert np.abs(back - srgb).max() <= TOL


def test_linear_xyz_both_ways_match_colour_science(srgb):
    lin = colour.cctf_decoding(srgb, "sRGB")
    xyz = cs.linear_to_xyz(_t(lin)).numpy()
    ref = colour.RGB_to_XYZ(lin, "sRGB")
    assert np.abs(xyz - ref).max() <= TOL
    assert np.abs(cs.xyz_to_linear(_t(ref)).numpy() - colour.XYZ_to_RGB(ref, "sRGB")).max() <= TOL


def test_cielab_both_ways_match_colour_science(srgb):
    xyz = colour.RGB_to_XYZ(colour.cctf_decoding(srgb, "sRGB"), "sRGB")
    lab = cs.xyz_to_lab(_t(xyz)).numpy()
    ref = colour.XYZ_to_Lab(xyz)
    assert np.abs(lab - ref).max() <= TOL
    assert np.abs(cs.lab_to_xyz(_t(ref)).numpy() - colour.Lab_to_XYZ(ref)).max() <= TOL


def test_oklab_and_oklch_match_colour_science(srgb):
    xyz = colour.RGB_to_XYZ(colour.cctf_decoding(srgb, "sRGB"), "sRGB")
    ok = cs.xyz_to_oklab(_t(xyz)).numpy()
    ref = colour.XYZ_to_Oklab(xyz)
    assert np.abs(ok - ref).max() <= TOL
    assert np.abs(cs.oklab_to_xyz(_t(ref)).numpy() - colour.Oklab_to_XYZ(ref)).max() <= TOL
    lch = cs.lab_to_lch(_t(ref)).numpy()
    ref_lch = colour.Oklab_to_Oklch(ref)
    assert np.abs(lch[:, :2] - ref_lch[:, :2]).max() <= TOL
    chromatic = ref_lch[:, 1] > 1e-3  # hue is meaningless for greys
    dh = np.abs(lch[chromatic, 2] - ref_lch[chromatic, 2])
    assert np.minimum(dh, 360 - dh).max() <= TOL
    assert np.abs(cs.lch_to_lab(_t(ref_lch)).numpy() - ref).max() <= TOL


def test_linear_to_lab_chain_matches_colour_science(srgb):
    lab = cs.linear_to_lab(cs.srgb_to_linear(_t(srgb))).numpy()
    ref = colour.XYZ_to_Lab(colour.sRGB_to_XYZ(srgb, chromatic_adaptation_transform=None))
    assert np.abs(lab - ref).max() <= TOL


def test_ciede2000_matches_colour_science_on_random_pairs(srgb):
    lab = colour.XYZ_to_Lab(colour.RGB_to_XYZ(colour.cctf_decoding(srgb, "sRGB"), "sRGB"))
    rng = np.random.default_rng(7)
    other = lab[rng.permutation(len(lab))]
    near = lab + rng.normal(0, 1.5, lab.shape)  # small differences exercise the hue-wrap branches
    for b in (other, near, lab):
        mine = cs.delta_e_2000(_t(lab), _t(b)).numpy()
        assert np.abs(mine - colour.delta_E(lab, b, method="CIE 2000")).max() <= TOL


def test_ciede2000_reproduces_sharma_reference_pairs():
    # Sharma, Wu & Dalal (2005), Table 1, pairs 1, 7, 17 and 25.
    pairs = [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ]
    for a, b, expected in pairs:
        assert float(cs.delta_e_2000(_t(np.array(a)), _t(np.array(b)))) == pytest.approx(expected, abs=1e-4)


def test_gradients_are_finite_for_black_white_and_greys():
    lin = torch.tensor([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0], [0.2, 0.2, 0.2], [0.5, 0.1, 0.0]], requires_grad=True)
    lab = cs.linear_to_lab(lin)
    loss = cs.delta_e_2000(lab, lab.flip(0)).sum() + cs.lab_to_lch(cs.linear_to_oklab(lin)).sum()
    loss = loss + cs.linear_to_srgb(lin).sum() + cs.delta_e_2000(lab, lab).sum()
    loss.backward()
    assert torch.isfinite(lin.grad).all()


def test_hex_parsing_and_rounding():
    assert cs.normalise_hex("1e88e5") == "#1E88E5"
    assert cs.linear_to_hex(cs.hex_to_linear(["#1E88E5", "#000000", "#FFFFFF"])) == ["#1E88E5", "#000000", "#FFFFFF"]
    for bad in ("#12345", "#GGGGGG", "blue", "", None):
        with pytest.raises(ValueError, match="#rrggbb"):
            cs.parse_hex(bad)


def test_oklab_to_xyz_inverts_xyz_to_oklab_in_float32_and_float64():
    # the inverse matrices are cached per dtype: each dtype must get its own, not the first caller's
    from themes.palette.colorspace import oklab_to_xyz, xyz_to_oklab

    gen = torch.Generator().manual_seed(3)
    xyz = torch.rand(256, 3, generator=gen, dtype=torch.float64) * 0.9 + 0.05
    for dtype, tol in ((torch.float32, 1e-4), (torch.float64, 1e-10), (torch.float32, 1e-4)):
        back = oklab_to_xyz(xyz_to_oklab(xyz.to(dtype)))
        assert back.dtype == dtype
        assert torch.allclose(back.double(), xyz, atol=tol)
