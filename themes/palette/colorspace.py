"""Differentiable colour conversions in PyTorch.

Every function takes tensors whose last dimension holds the three colour components and works for any batch
shape, dtype (float32 for optimisation, float64 for checks) and device. Scales follow colour-science's
"reference" scale: sRGB, linear RGB and XYZ in [0, 1]; CIELAB L* in [0, 100]; OKLab L in [0, 1].

Gradients are safe everywhere the optimiser can go: powers are taken of clamped arguments and hue angles of
non-zero vectors, so a grey or black colour never produces NaN gradients.

Sources (each function names the one it implements):

- IEC 61966-2-1:1999, *Default RGB colour space - sRGB* (transfer function and RGB/XYZ matrices).
- CIE 15:2004, *Colorimetry*, 3rd ed. (CIE 1976 L*a*b*).
- B. Ottosson (2020), *A perceptual color space for image processing* (OKLab), https://bottosson.github.io/posts/oklab/
- G. Sharma, W. Wu, E. N. Dalal (2005), *The CIEDE2000 color-difference formula: implementation notes,
  supplementary test data, and mathematical observations*, Color Res. Appl. 30(1):21-30.
"""

from __future__ import annotations

import functools
import math
import re

import torch

_HEX_RE = re.compile(r"^#?([0-9a-fA-F]{6})$")

#: IEC 61966-2-1 linear sRGB -> XYZ (D65), as used by colour-science's sRGB colourspace.
M_RGB_TO_XYZ = (
    (0.4124, 0.3576, 0.1805),
    (0.2126, 0.7152, 0.0722),
    (0.0193, 0.1192, 0.9505),
)
#: IEC 61966-2-1 XYZ -> linear sRGB (the standard's 4-decimal inverse, as colour-science uses it).
M_XYZ_TO_RGB = (
    (3.2406, -1.5372, -0.4986),
    (-0.9689, 1.8758, 0.0415),
    (0.0557, -0.2040, 1.0570),
)
#: D65 white (CIE 1931 2 degree observer, xy = 0.3127, 0.3290) in XYZ, Y = 1.
WHITE_D65 = (0.3127 / 0.3290, 1.0, (1.0 - 0.3127 - 0.3290) / 0.3290)
#: Ottosson (2020) XYZ -> LMS and LMS' -> OKLab matrices.
M1_XYZ_TO_LMS = (
    (0.8189330101, 0.3618667424, -0.1288597137),
    (0.0329845436, 0.9293118715, 0.0361456387),
    (0.0482003018, 0.2643662691, 0.6338517070),
)
M2_LMS_TO_LAB = (
    (0.2104542553, 0.7936177850, -0.0040720468),
    (1.9779984951, -2.4285922050, 0.4505937099),
    (0.0259040371, 0.7827717662, -0.8086757660),
)


@functools.lru_cache(maxsize=64)
def _cached(m: tuple, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
    return torch.tensor(m, dtype=dtype, device=device)


def _mat(m: tuple, like: torch.Tensor) -> torch.Tensor:
    return _cached(m, like.dtype, like.device)


def _apply(m: tuple, x: torch.Tensor) -> torch.Tensor:
    return x @ _mat(m, x).T


# --------------------------------------------------------------------------------------------- hex helpers
def parse_hex(value: str) -> tuple[int, int, int]:
    """Parse ``#rrggbb`` (the ``#`` is optional) into 8-bit channels; raise ``ValueError`` otherwise."""
    match = _HEX_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise ValueError(f"{value!r} is not a #rrggbb hex colour (for example #1E88E5)")
    digits = match.group(1)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def normalise_hex(value: str) -> str:
    """Return ``value`` as upper-case ``#RRGGBB``."""
    r, g, b = parse_hex(value)
    return f"#{r:02X}{g:02X}{b:02X}"


def hex_to_srgb(values: list[str] | str, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Hex string(s) -> sRGB tensor in [0, 1] of shape (..., 3)."""
    if isinstance(values, str):
        return torch.tensor(parse_hex(values), dtype=dtype) / 255.0
    return torch.tensor([parse_hex(v) for v in values], dtype=dtype).reshape(-1, 3) / 255.0


def hex_to_linear(values: list[str] | str, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    """Hex string(s) -> linear sRGB tensor."""
    return srgb_to_linear(hex_to_srgb(values, dtype))


def srgb_to_hex(srgb: torch.Tensor) -> list[str]:
    """sRGB tensor (N, 3) in [0, 1] -> list of ``#RRGGBB`` (channels rounded half-up, clamped)."""
    q = quantise_srgb(srgb.detach().to(torch.float64)).mul(255).round().to(torch.int64).reshape(-1, 3)
    return [f"#{r:02X}{g:02X}{b:02X}" for r, g, b in q.tolist()]


def linear_to_hex(lin: torch.Tensor) -> list[str]:
    """Linear sRGB tensor (N, 3) -> list of ``#RRGGBB``."""
    return srgb_to_hex(linear_to_srgb(lin.detach().to(torch.float64)))


def quantise_srgb(srgb: torch.Tensor) -> torch.Tensor:
    """Round sRGB to the 8-bit grid a ``#rrggbb`` value can express (what a browser will actually show)."""
    return torch.floor(srgb.clamp(0.0, 1.0) * 255.0 + 0.5) / 255.0


def quantise_linear(lin: torch.Tensor) -> torch.Tensor:
    """Linear sRGB -> the linear value of its rounded ``#rrggbb`` (for checking constraints as shipped)."""
    return srgb_to_linear(quantise_srgb(linear_to_srgb(lin)))


# ------------------------------------------------------------------------------------------ conversions
def srgb_to_linear(srgb: torch.Tensor) -> torch.Tensor:
    """sRGB electro-optical transfer function (IEC 61966-2-1:1999, eq. 1.2)."""
    low = srgb / 12.92
    high = ((srgb.clamp_min(0.04045) + 0.055) / 1.055) ** 2.4
    return torch.where(srgb <= 0.04045, low, high)


def linear_to_srgb(lin: torch.Tensor) -> torch.Tensor:
    """Inverse sRGB transfer function (IEC 61966-2-1:1999, eq. 1.3)."""
    low = lin * 12.92
    high = 1.055 * lin.clamp_min(0.0031308) ** (1.0 / 2.4) - 0.055
    return torch.where(lin <= 0.0031308, low, high)


def linear_to_xyz(lin: torch.Tensor) -> torch.Tensor:
    """Linear sRGB -> CIE XYZ (D65), IEC 61966-2-1 matrix."""
    return _apply(M_RGB_TO_XYZ, lin)


def xyz_to_linear(xyz: torch.Tensor) -> torch.Tensor:
    """CIE XYZ (D65) -> linear sRGB, IEC 61966-2-1 inverse matrix."""
    return _apply(M_XYZ_TO_RGB, xyz)


def xyz_to_lab(xyz: torch.Tensor) -> torch.Tensor:
    """CIE XYZ -> CIE 1976 L*a*b* under D65 (CIE 15:2004, eqs. 8.1-8.3)."""
    eps, kappa = 216.0 / 24389.0, 24389.0 / 27.0
    t = xyz / _mat(WHITE_D65, xyz)
    f = torch.where(t > eps, t.clamp_min(eps) ** (1.0 / 3.0), (kappa * t + 16.0) / 116.0)
    fx, fy, fz = f.unbind(-1)
    return torch.stack((116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)), dim=-1)


def lab_to_xyz(lab: torch.Tensor) -> torch.Tensor:
    """CIE 1976 L*a*b* -> CIE XYZ under D65 (CIE 15:2004, inverse of eqs. 8.1-8.3)."""
    eps, kappa = 216.0 / 24389.0, 24389.0 / 27.0
    L, a, b = lab.unbind(-1)
    fy = (L + 16.0) / 116.0
    fx, fz = fy + a / 500.0, fy - b / 200.0
    f = torch.stack((fx, fy, fz), dim=-1)
    cube = f**3
    lin = (116.0 * f - 16.0) / kappa
    t = torch.where(cube > eps, cube, lin)
    # Y uses the L*-based test of the standard.
    ty = torch.where(L > kappa * eps, cube[..., 1], L / kappa)
    t = torch.stack((t[..., 0], ty, t[..., 2]), dim=-1)
    return t * _mat(WHITE_D65, lab)


def linear_to_lab(lin: torch.Tensor) -> torch.Tensor:
    """Linear sRGB -> CIELAB (D65)."""
    return xyz_to_lab(linear_to_xyz(lin))


def _signed_cbrt(x: torch.Tensor) -> torch.Tensor:
    return torch.sign(x) * x.abs().clamp_min(1e-12) ** (1.0 / 3.0)


def xyz_to_oklab(xyz: torch.Tensor) -> torch.Tensor:
    """CIE XYZ (D65) -> OKLab (Ottosson 2020: LMS = M1 XYZ, Lab = M2 cbrt(LMS))."""
    return _apply(M2_LMS_TO_LAB, _signed_cbrt(_apply(M1_XYZ_TO_LMS, xyz)))


def oklab_to_xyz(oklab: torch.Tensor) -> torch.Tensor:
    """OKLab -> CIE XYZ (D65), inverse of :func:`xyz_to_oklab` (Ottosson 2020)."""
    m2_inv, m1_inv = _oklab_inverses(oklab.dtype, oklab.device)
    lms = (oklab @ m2_inv.T) ** 3
    return lms @ m1_inv.T


@functools.lru_cache(maxsize=16)
def _oklab_inverses(dtype: torch.dtype, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Transposable inverses of Ottosson's M2 and M1 (computed once per dtype and device: repair, tonal ramps
    and starts call :func:`oklab_to_xyz` inside bisection loops)."""
    m2 = torch.tensor(M2_LMS_TO_LAB, dtype=torch.float64, device=device)
    m1 = torch.tensor(M1_XYZ_TO_LMS, dtype=torch.float64, device=device)
    return torch.linalg.inv(m2).to(dtype), torch.linalg.inv(m1).to(dtype)


def linear_to_oklab(lin: torch.Tensor) -> torch.Tensor:
    """Linear sRGB -> OKLab via XYZ."""
    return xyz_to_oklab(linear_to_xyz(lin))


def lab_to_lch(lab: torch.Tensor) -> torch.Tensor:
    """Cartesian (L, a, b) -> cylindrical (L, C, h) with h in degrees [0, 360); works for CIELAB and OKLab."""
    L, a, b = lab.unbind(-1)
    c = torch.sqrt(a * a + b * b + 1e-30)
    grey = (a * a + b * b) < 1e-24
    h = torch.rad2deg(torch.atan2(torch.where(grey, torch.zeros_like(b), b), torch.where(grey, torch.ones_like(a), a)))
    return torch.stack((L, c, torch.remainder(h, 360.0)), dim=-1)


def lch_to_lab(lch: torch.Tensor) -> torch.Tensor:
    """Cylindrical (L, C, h in degrees) -> Cartesian (L, a, b)."""
    L, c, h = lch.unbind(-1)
    rad = torch.deg2rad(h)
    return torch.stack((L, c * torch.cos(rad), c * torch.sin(rad)), dim=-1)


def relative_luminance(lin: torch.Tensor) -> torch.Tensor:
    """WCAG 2.x relative luminance: Y of linear sRGB, Y = 0.2126 R + 0.7152 G + 0.0722 B."""
    return lin[..., 0] * 0.2126 + lin[..., 1] * 0.7152 + lin[..., 2] * 0.0722


# --------------------------------------------------------------------------------------------- CIEDE2000
def _safe_hue(b: torch.Tensor, a: torch.Tensor) -> torch.Tensor:
    grey = (a * a + b * b) < 1e-20
    h = torch.atan2(torch.where(grey, torch.zeros_like(b), b), torch.where(grey, torch.ones_like(a), a))
    return torch.remainder(h, 2.0 * math.pi)


def delta_e_2000(lab1: torch.Tensor, lab2: torch.Tensor) -> torch.Tensor:
    """CIEDE2000 colour difference between CIELAB colours (CIE 142-2001; Sharma, Wu & Dalal 2005, eqs. 1-22).

    kL = kC = kH = 1. Hue handling follows Sharma et al.'s notes 2 and 3 (hue mean and difference when a
    chroma is zero), which is what colour-science implements.
    """
    L1, a1, b1 = lab1.unbind(-1)
    L2, a2, b2 = lab2.unbind(-1)
    c1 = torch.sqrt(a1 * a1 + b1 * b1 + 1e-20)
    c2 = torch.sqrt(a2 * a2 + b2 * b2 + 1e-20)
    c_bar7 = ((c1 + c2) / 2.0) ** 7
    g = 0.5 * (1.0 - torch.sqrt(c_bar7 / (c_bar7 + 25.0**7) + 1e-20))
    a1p, a2p = (1.0 + g) * a1, (1.0 + g) * a2
    c1p = torch.sqrt(a1p * a1p + b1 * b1 + 1e-20)
    c2p = torch.sqrt(a2p * a2p + b2 * b2 + 1e-20)
    h1p, h2p = _safe_hue(b1, a1p), _safe_hue(b2, a2p)
    zero = (c1p * c2p) < 1e-9

    dLp = L2 - L1
    dCp = c2p - c1p
    dh = h2p - h1p
    dh = torch.where(dh > math.pi, dh - 2 * math.pi, torch.where(dh < -math.pi, dh + 2 * math.pi, dh))
    dh = torch.where(zero, torch.zeros_like(dh), dh)
    dHp = 2.0 * torch.sqrt(c1p * c2p) * torch.sin(dh / 2.0)

    L_bar = (L1 + L2) / 2.0
    c_bar_p = (c1p + c2p) / 2.0
    h_sum = h1p + h2p
    h_bar = torch.where(
        (h1p - h2p).abs() <= math.pi,
        h_sum / 2.0,
        torch.where(h_sum < 2 * math.pi, (h_sum + 2 * math.pi) / 2.0, (h_sum - 2 * math.pi) / 2.0),
    )
    h_bar = torch.where(zero, h_sum, h_bar)
    t = (
        1.0
        - 0.17 * torch.cos(h_bar - math.radians(30))
        + 0.24 * torch.cos(2 * h_bar)
        + 0.32 * torch.cos(3 * h_bar + math.radians(6))
        - 0.20 * torch.cos(4 * h_bar - math.radians(63))
    )
    d_theta = math.radians(30) * torch.exp(-(((torch.rad2deg(h_bar) - 275.0) / 25.0) ** 2))
    c_bar_p7 = c_bar_p**7
    r_c = 2.0 * torch.sqrt(c_bar_p7 / (c_bar_p7 + 25.0**7) + 1e-20)
    l50 = (L_bar - 50.0) ** 2
    s_l = 1.0 + 0.015 * l50 / torch.sqrt(20.0 + l50)
    s_c = 1.0 + 0.045 * c_bar_p
    s_h = 1.0 + 0.015 * c_bar_p * t
    r_t = -torch.sin(2.0 * d_theta) * r_c
    tl, tc, th = dLp / s_l, dCp / s_c, dHp / s_h
    return torch.sqrt(tl * tl + tc * tc + th * th + r_t * tc * th + 1e-20)


def delta_e_oklab(ok1: torch.Tensor, ok2: torch.Tensor) -> torch.Tensor:
    """Euclidean distance in OKLab (Ottosson 2020), the space's intended difference metric."""
    return torch.sqrt(((ok1 - ok2) ** 2).sum(-1) + 1e-20)
