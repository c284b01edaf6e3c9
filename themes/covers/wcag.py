"""Small WCAG 2.x colour helpers (kept local so the renderer stays independent of the palette engine).

Formulas: WCAG 2.2, "relative luminance" and "contrast ratio" definitions
(https://www.w3.org/TR/WCAG22/#dfn-relative-luminance, https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio).
The sRGB linearisation threshold 0.04045 is the IEC 61966-2-1 value (WCAG 2.x quotes 0.03928; both give the
same result for 8-bit channels).
"""

from __future__ import annotations

import re

import numpy as np

RGB = tuple[int, int, int]
AA_NORMAL = 4.5  # WCAG 2.x success criterion 1.4.3, normal text

_HEX = re.compile(r"^#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$")


def parse_hex(value: str) -> RGB:
    """Parse ``#rrggbb`` (or ``#rgb``) into an RGB tuple; raise ``ValueError`` otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"colour must be a '#rrggbb' string, got {type(value).__name__}")
    m = _HEX.match(value.strip())
    if not m:
        raise ValueError(f"colour {value!r} is not a '#rrggbb' hex string")
    h = m.group(1)
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def to_hex(rgb: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _lin(c: float) -> float:
    c = c / 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


# 8-bit lookup table of linearised channel values (WCAG relative luminance, sRGB EOTF).
_LIN_LUT = np.array([_lin(i) for i in range(256)], dtype=np.float64)


def luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance L = 0.2126 R + 0.7152 G + 0.0722 B of linearised sRGB channels."""
    r, g, b = rgb
    return 0.2126 * _LIN_LUT[r] + 0.7152 * _LIN_LUT[g] + 0.0722 * _LIN_LUT[b]


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter; in [1, 21]."""
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


_R_LUT, _G_LUT, _B_LUT = (_LIN_LUT * k for k in (0.2126, 0.7152, 0.0722))


def luminance_array(pixels: np.ndarray) -> np.ndarray:
    """Relative luminance of every pixel of an ``(..., 3)`` uint8 RGB array (same formula as :func:`luminance`)."""
    return _R_LUT[pixels[..., 0]] + _G_LUT[pixels[..., 1]] + _B_LUT[pixels[..., 2]]


def min_contrast_against(color: RGB, lum: np.ndarray) -> float:
    """Worst (lowest) WCAG contrast between ``color`` and any luminance in ``lum``."""
    if lum.size == 0:
        return 21.0
    lc = luminance(color)
    lo, hi = float(lum.min()), float(lum.max())
    if lo <= lc <= hi:
        return 1.0
    nearest = hi if lc > hi else lo
    return (max(lc, nearest) + 0.05) / (min(lc, nearest) + 0.05)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Linear blend in sRGB space: t=0 gives ``a``, t=1 gives ``b``."""
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def ensure_contrast(color: RGB, ink: RGB, target: float) -> RGB:
    """``color`` mixed toward black or white (whichever moves it away from ``ink``) in 5 % steps until its
    contrast with ``ink`` reaches ``target`` (or it is fully black/white)."""
    if contrast_ratio(color, ink) >= target:
        return color
    toward = (0, 0, 0) if luminance(ink) > luminance(color) or luminance(ink) > 0.18 else (255, 255, 255)
    for step in range(1, 21):
        c = mix(color, toward, step / 20)
        if contrast_ratio(c, ink) >= target:
            return c
    return toward
