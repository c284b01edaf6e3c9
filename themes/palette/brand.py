"""B(S): brand fit - closeness to the brand seed colours and to the keyword regions.

Seed fit uses CIEDE2000 (Sharma, Wu & Dalal 2005); keyword fit uses soft membership of OKLCh regions
(Ottosson 2020 for the space; regions from :mod:`themes.palette.lexicon`). Locked colours are placed exactly,
so their seed fit is 1 wherever they stay exact.
"""

from __future__ import annotations

import torch

from .colorspace import delta_e_2000, lab_to_lch, linear_to_lab, linear_to_oklab
from .lexicon import Region

#: CIEDE2000 at which a seed's fit has fallen to exp(-1): "clearly a different colour". A seed's fit is
#: exp(-(min_i dE00(seed, colour_i) / 15)^2) over the chromatic roles.
SEED_SCALE_DE00 = 15.0
#: Each seed's and each keyword region's fit counts this many times among B's parts (what the creator asked
#: for outweighs the scheme/tint parts).
SEED_PARTS = 2


def _band(x: torch.Tensor, lo: float, hi: float, softness: float) -> torch.Tensor:
    return torch.sigmoid((x - lo) / softness) * torch.sigmoid((hi - x) / softness)


def region_membership(oklch: torch.Tensor, region: Region) -> torch.Tensor:
    """Soft membership in [0, 1] of OKLCh colours in a keyword region.

    m = band(L; l_range, 0.03) * band(C; c_range, 0.015) * exp(-(dh / hue_width)^2 / 2), where band is a product
    of two logistic edges and dh the circular hue difference (the hue factor is 1 for hue-free regions).
    """
    L, c, h = oklch.unbind(-1)
    m = _band(L, *region.l_range, 0.03) * _band(c, *region.c_range, 0.015)
    if region.hue is not None:
        dh = torch.remainder(h - region.hue + 180.0, 360.0) - 180.0
        m = m * torch.exp(-0.5 * (dh / region.hue_width) ** 2)
    return m


def brand_score(chrom_lin: torch.Tensor, seeds_lin: torch.Tensor | None, regions: list[Region]) -> torch.Tensor:
    """B(S) in [0, 1]: mean of the seed fits and, per keyword region, the best member's membership.

    ``chrom_lin`` is (..., chromatic roles, 3) in linear RGB. With no seeds and no known keywords B = 0 for
    every palette, so gamma then has no effect on the ranking.
    """
    seed_d = None
    if seeds_lin is not None and seeds_lin.shape[0] > 0:
        seeds_lab = linear_to_lab(seeds_lin.to(chrom_lin))
        seed_d = delta_e_2000(linear_to_lab(chrom_lin)[..., None, :, :], seeds_lab[:, None, :])
    return brand_score_from(seed_d, lab_to_lch(linear_to_oklab(chrom_lin)), regions)


def brand_score_from(seed_d: torch.Tensor | None, chrom_oklch: torch.Tensor, regions: list[Region],
                     extra: list[torch.Tensor] | None = None, pick: int | None = None) -> torch.Tensor:
    """:func:`brand_score` from precomputed parts: ``seed_d`` (..., seeds, chromatic roles) CIEDE2000 or None,
    ``chrom_oklch`` (..., chromatic roles, 3) OKLCh; ``extra`` more parts of shape (...,) in [0, 1] averaged in
    (the scheme and neutral-tint fits).

    Pick K of C: with ``pick`` set and more seeds than that, only the ``pick`` best-fitting seeds count (a
    palette with K chromatic roles can show K of a brand's C colours; which K is the optimiser's choice, and a
    locked seed, exact, always fits best)."""
    parts = []
    if seed_d is not None and seed_d.shape[-2] > 0:
        fits = torch.exp(-((seed_d.min(-1).values / SEED_SCALE_DE00) ** 2))
        if pick is not None and fits.shape[-1] > pick:
            fits = fits.topk(pick, dim=-1).values
        parts.extend([fits] * SEED_PARTS)
    if regions:
        regions_fit = torch.stack([region_membership(chrom_oklch, r).max(-1).values for r in regions], dim=-1)
        parts.extend([regions_fit] * SEED_PARTS)
    parts.extend(p[..., None] for p in (extra or []))
    if not parts:
        return torch.zeros(chrom_oklch.shape[:-2], dtype=chrom_oklch.dtype, device=chrom_oklch.device)
    return torch.cat(parts, dim=-1).mean(-1)
