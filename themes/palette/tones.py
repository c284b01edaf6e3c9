"""Tonal ramps: each role's colour at tones 0-100 of a perceptual lightness, for tints and shades in tokens.

Tone T is OKLab/OKLCh lightness L = T / 100 (Ottosson 2020; OKLab L is close to perceived lightness, as HCT's
tone is L* in Material 3). Hue is the role's own; chroma is the role's, reduced only as far as the sRGB gamut
requires at that lightness (the same constant-hue chroma reduction as the repair's ``*-oklch`` paths), so a ramp
is the role's colour made lighter or darker, never a different hue. Tone 0 is black and 100 white.

Each tone comes with its WCAG 2.x contrast on the variant's background, so a consumer can pick tints that keep
the same legibility guarantees (e.g. only tones >= 4.5:1 for text).
"""

from __future__ import annotations

import torch

from .colorspace import hex_to_linear, linear_to_hex, linear_to_oklab, oklab_to_xyz, xyz_to_linear
from .legibility import contrast_ratio

#: The tones of a ramp (Material 3's tonal palette stops).
TONES: tuple[int, ...] = (0, 5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 70, 80, 90, 95, 98, 99, 100)


def _in_gamut(ok: torch.Tensor) -> torch.Tensor:
    lin = xyz_to_linear(oklab_to_xyz(ok))
    return ((lin >= -1e-7) & (lin <= 1.0 + 1e-7)).all(-1)


def ramp_linear(hexes: list[str] | str, tones: tuple[int, ...] = TONES) -> torch.Tensor:
    """Linear sRGB (colours, len(tones), 3) of each colour at each tone (hue kept, chroma gamut-mapped)."""
    ok = linear_to_oklab(hex_to_linear([hexes] if isinstance(hexes, str) else list(hexes)))  # (n, 3)
    n, t = ok.shape[0], len(tones)
    light = (torch.tensor(tones, dtype=ok.dtype) / 100.0)[None, :, None].expand(n, t, 1)
    ab = ok[:, None, 1:].expand(n, t, 2)
    lo, hi = torch.zeros(n, t, dtype=ok.dtype), torch.ones(n, t, dtype=ok.dtype)
    for _ in range(24):  # largest chroma scale in gamut at each lightness (scale 0, grey, always is)
        mid = (lo + hi) / 2
        good = _in_gamut(torch.cat((light, ab * mid[..., None]), -1))
        lo, hi = torch.where(good, mid, lo), torch.where(good, hi, mid)
    scale = torch.where(_in_gamut(torch.cat((light, ab), -1)), torch.ones_like(lo), lo)
    return xyz_to_linear(oklab_to_xyz(torch.cat((light, ab * scale[..., None]), -1))).clamp(0.0, 1.0)


def tonal_ramps(colors: dict[str, str], tones: tuple[int, ...] = TONES) -> dict[str, dict[str, dict]]:
    """Per role of one variant (``colors``: role -> hex, with a ``background``): ``{role: {"40": {"hex":
    "#RRGGBB", "contrast": 4.71}, ...}}``, each tone with its WCAG contrast ratio on the variant's background."""
    roles = list(colors)
    lin = ramp_linear([colors[r] for r in roles], tones)  # (roles, tones, 3)
    hexes = linear_to_hex(lin.reshape(-1, 3))
    q = hex_to_linear(hexes).reshape(lin.shape)
    bg = hex_to_linear(colors["background"])
    ratios = contrast_ratio(q, bg.expand_as(q)).tolist()
    out: dict[str, dict[str, dict]] = {}
    for i, role in enumerate(roles):
        out[role] = {
            str(t): {"hex": hexes[i * len(tones) + j], "contrast": round(ratios[i][j], 2)}
            for j, t in enumerate(tones)
        }
    return out
