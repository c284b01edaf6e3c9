"""Deterministic repair: make every hard constraint hold on the rounded ``#rrggbb`` values.

The optimiser only *encourages* legibility; this projection step *guarantees* it. All checks run on colours
quantised to the 8-bit grid (what a browser shows), so rounding can never break a returned palette.

Colours move along one of two monotone paths in linear RGB, which keep them in gamut by construction:

- darken: ``c (1 - t)``, t in [0, 1] (keeps chromaticity, ends at black);
- lighten: scale up to the gamut boundary (keeps chromaticity) for t in [0, 1/2], then mix towards white;
- for the primary also ``darken-oklch`` / ``lighten-oklch``: OKLCh lightness towards 0 or 1 at constant hue,
  chroma reduced only as far as the gamut requires (Ottosson 2020). The primary takes whichever path reaches
  the constraint with the smaller CIEDE2000 change; the surface takes the shorter of darken and lighten.

Relative luminance is monotone along the linear-RGB paths (and in practice along the OKLCh ones), so the first
``t`` that satisfies a contrast predicate is the smallest change along that path. A 65-point grid finds the first satisfying
segment and 12 bisection steps refine it (the refined point always satisfies the predicate).

Order per variant (light shown; dark mirrors every direction): background is lightened until dark text can
reach 4.5:1 (and until a primary that must stay exact reaches 3:1); surface is moved the shorter way until it
is CIEDE2000 >= 2.5 from the background and still text-legible; a primary that may change is darkened until
3:1; text is darkened until 4.5:1 on background and surface. Locked colours never move; if they make the
variant infeasible the palette is reported infeasible (``ok`` False) and dropped.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from .colorspace import (
    delta_e_2000,
    linear_to_lab,
    linear_to_oklab,
    oklab_to_xyz,
    quantise_linear,
    relative_luminance,
    xyz_to_linear,
)
from .legibility import MIN_BG_SURFACE_DE00, MIN_PRIMARY_CONTRAST, MIN_TEXT_CONTRAST, contrast_ratio

#: A free light background/surface must let black text reach 4.5:1: Y >= 0.175 (0.18 keeps a margin).
LIGHT_MIN_Y = 0.18
#: A free dark background/surface must let white text reach 4.5:1: Y <= 0.1833 (0.18 keeps a margin).
DARK_MAX_Y = 0.18
_GRID = 65
_BISECT = 12

Pred = Callable[[torch.Tensor], torch.Tensor]


def path(c: torch.Tensor, t: torch.Tensor, direction: str) -> torch.Tensor:
    """Colours ``c`` (..., 3) moved a fraction ``t`` (..., ) along a path: ``darken``, ``lighten`` (linear RGB,
    see the module docstring) or ``darken-oklch`` / ``lighten-oklch`` (OKLCh lightness towards 0 or 1 at constant
    hue, keeping as much chroma as the gamut allows)."""
    if direction.endswith("-oklch"):
        return _oklch_path(c, t, direction.startswith("lighten"))
    t = t[..., None]
    if direction == "darken":
        return c * (1.0 - t)
    top = c.max(-1, keepdim=True).values.clamp_min(1e-12)
    full = c / top
    first = c + (2.0 * t).clamp(max=1.0) * (full - c)
    return first + (2.0 * t - 1.0).clamp(min=0.0) * (1.0 - full)


def _oklab_to_linear(ok: torch.Tensor) -> torch.Tensor:
    return xyz_to_linear(oklab_to_xyz(ok))


def _oklch_path(c: torch.Tensor, t: torch.Tensor, lighten: bool) -> torch.Tensor:
    ok = linear_to_oklab(c)
    light = ok[..., :1] + t[..., None] * ((1.0 if lighten else 0.0) - ok[..., :1])
    ab = ok[..., 1:]

    def in_gamut(scale: torch.Tensor) -> torch.Tensor:
        lin = _oklab_to_linear(torch.cat((light, ab * scale[..., None]), -1))
        return ((lin >= -1e-6) & (lin <= 1.0 + 1e-6)).all(-1)

    lo = torch.zeros_like(t)
    hi = torch.ones_like(t)
    inside = in_gamut(hi)
    for _ in range(16):  # largest chroma scale in gamut (the grey axis, scale 0, always is)
        mid = (lo + hi) / 2.0
        good = in_gamut(mid)
        lo = torch.where(good, mid, lo)
        hi = torch.where(good, hi, mid)
    scale = torch.where(inside, torch.ones_like(t), lo)
    return _oklab_to_linear(torch.cat((light, ab * scale[..., None]), -1)).clamp(0.0, 1.0)


def advance(c: torch.Tensor, direction: str, pred: Pred) -> tuple[torch.Tensor, torch.Tensor]:
    """Move each colour of ``c`` (M, 3) the least along ``direction`` so that ``pred`` holds on its rounded value.

    ``pred`` maps quantised colours (M, G, 3) to booleans (M, G). Returns (new quantised colours, ok).
    """
    m = c.shape[0]
    grid = torch.linspace(0.0, 1.0, _GRID, dtype=c.dtype, device=c.device).expand(m, _GRID)
    cand = quantise_linear(path(c[:, None, :].expand(m, _GRID, 3), grid, direction))
    good = pred(cand)
    ok = good.any(-1)
    first = torch.where(ok, good.float().argmax(-1), torch.zeros_like(ok, dtype=torch.long))
    hi = grid.gather(1, first[:, None])[:, 0]
    lo = torch.where(first > 0, grid.gather(1, (first - 1).clamp_min(0)[:, None])[:, 0], hi)
    for _ in range(_BISECT):
        mid = (lo + hi) / 2.0
        good_mid = pred(quantise_linear(path(c, mid, direction))[:, None, :])[:, 0]
        hi = torch.where(good_mid, mid, hi)
        lo = torch.where(good_mid, lo, mid)
    return quantise_linear(path(c, hi, direction)), ok


def _de(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return delta_e_2000(linear_to_lab(a), linear_to_lab(b))


def _closest(c: torch.Tensor, directions: list[str], pred: Pred) -> tuple[torch.Tensor, torch.Tensor]:
    """:func:`advance` along each path; per row keep the satisfying result closest (CIEDE2000) to ``c``."""
    original = quantise_linear(c)
    best, best_d = original.clone(), torch.full(c.shape[:1], float("inf"), dtype=c.dtype, device=c.device)
    any_ok = torch.zeros(c.shape[:1], dtype=torch.bool, device=c.device)
    for direction in directions:
        cand, good = advance(c, direction, pred)
        d = torch.where(good, _de(cand, original), torch.full_like(best_d, float("inf")))
        better = d < best_d
        best = torch.where(better[:, None], cand, best)
        best_d = torch.where(better, d, best_d)
        any_ok |= good
    return best, any_ok


def repair_variant(
    pal: torch.Tensor,
    variant: str,
    locked: set[int],
    surface_merged: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Repair palettes ``pal`` (M, roles, 3) of one variant (rows: bg, surface, text, primary, ...).

    ``locked`` holds row indices that must not move (locked colours, or a primary kept exact in this
    variant). Returns (quantised palettes, ok mask); rows where ok is False cannot be made legal.
    """
    light = variant == "light"
    toward_neutral, toward_ink = ("lighten", "darken") if light else ("darken", "lighten")
    p = quantise_linear(pal.clone())
    ok = torch.ones(p.shape[0], dtype=torch.bool, device=p.device)
    text_locked, primary_fixed = 2 in locked, 3 in locked

    def ground_ok(x: torch.Tensor) -> torch.Tensor:  # x (M, G, 3): can text be legible on it?
        if text_locked:
            return contrast_ratio(x, p[:, None, 2]) >= MIN_TEXT_CONTRAST
        y = relative_luminance(x)
        return y >= LIGHT_MIN_Y if light else y <= DARK_MAX_Y

    def bg_pred(x: torch.Tensor) -> torch.Tensor:
        good = ground_ok(x)
        if primary_fixed:
            good = good & (contrast_ratio(x, p[:, None, 3]) >= MIN_PRIMARY_CONTRAST)
        return good

    if 0 in locked:
        ok &= bg_pred(p[:, None, 0])[:, 0]
    else:
        p[:, 0], good = advance(p[:, 0], toward_neutral, bg_pred)
        ok &= good

    if surface_merged:
        p[:, 1] = p[:, 0]
    else:

        def surface_pred(x: torch.Tensor) -> torch.Tensor:
            return ground_ok(x) & (_de(x, p[:, None, 0].expand_as(x)) >= MIN_BG_SURFACE_DE00 + 0.05)

        if 1 in locked:
            ok &= surface_pred(p[:, None, 1])[:, 0]
        else:
            p[:, 1], good = _closest(p[:, 1], ["darken", "lighten"], surface_pred)
            ok &= good

    def primary_pred(x: torch.Tensor) -> torch.Tensor:
        return contrast_ratio(x, p[:, None, 0]) >= MIN_PRIMARY_CONTRAST

    if primary_fixed:
        ok &= primary_pred(p[:, None, 3])[:, 0]
    else:  # two paths; keep the smaller CIEDE2000 change
        p[:, 3], good = _closest(p[:, 3], [toward_ink, toward_ink + "-oklch"], primary_pred)
        ok &= good

    def text_pred(x: torch.Tensor) -> torch.Tensor:
        return (contrast_ratio(x, p[:, None, 0]) >= MIN_TEXT_CONTRAST) & (
            contrast_ratio(x, p[:, None, 1]) >= MIN_TEXT_CONTRAST
        )

    if text_locked:
        ok &= text_pred(p[:, None, 2])[:, 0]
    else:
        p[:, 2], good = advance(p[:, 2], toward_ink, text_pred)
        ok &= good
    return p, ok & check_variant(p, surface_merged)


def check_variant(pal: torch.Tensor, surface_merged: bool = False) -> torch.Tensor:
    """Hard constraints on rounded values for palettes (M, roles, 3): True where all hold."""
    q = quantise_linear(pal)
    bg, surface, text, primary = q[:, 0], q[:, 1], q[:, 2], q[:, 3]
    good = (contrast_ratio(text, bg) >= MIN_TEXT_CONTRAST) & (contrast_ratio(text, surface) >= MIN_TEXT_CONTRAST)
    good &= contrast_ratio(primary, bg) >= MIN_PRIMARY_CONTRAST
    if not surface_merged:
        good &= _de(bg, surface) >= MIN_BG_SURFACE_DE00
    return good
