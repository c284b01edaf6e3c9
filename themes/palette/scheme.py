"""Colour schemes relative to the brand: where secondary and accent hues go, and how neutrals are tinted.

Hue relations (OKLCh hue angle, Ottosson 2020) follow the classic schemes of J. Itten (1961), *The Art of
Color* (analogous, complementary, split-complementary, triadic), in the form of hue *templates* that colour
harmonisation uses: D. Cohen-Or, O. Sorkine, R. Gal, T. Leyvand, Y.-Q. Xu (2006), *Color Harmonization*, ACM
TOG 25(3):624-630 (after Matsuda 1995), where a palette is harmonious when its hues fall in sectors placed
relative to one another. Every scheme keeps the primary's own hue as a sector too: tints and shades of the brand
hue, the way Material Design 3's tonal-spot scheme derives its secondary palette from the source hue
(Material Color Utilities, ``SchemeTonalSpot``: secondary = source hue at low chroma, tertiary = hue + 60 deg).
A grey brand (black, white, grey) has no hue to build on: its first supporting colour then sets the hue
family and the others take the scheme's places around that hue, instead of each supporting colour taking any
hue (which let harmony's hue preferences pick a steel blue and a khaki whatever the brand).

Neutrals (background, surface, text) are tinted toward the brand hue with low chroma, as Material 3 builds its
neutral palettes (source hue, HCT chroma 4-8, i.e. about 0.01-0.02 OKLCh chroma); a grey brand gives grey
neutrals. Locked neutrals are constants and simply score what they are.

Both fits are smooth functions of the palette tensor (von Mises hue kernels, Gaussian tint kernels), so the
optimiser follows their gradients; they are part of B(S) in :mod:`themes.palette.objective`.
"""

from __future__ import annotations

import math

import torch

from .lexicon import Region

#: Scheme -> hue offsets (degrees) from the primary's hue that secondary and accent roles may take.
SCHEMES: dict[str, tuple[float, ...]] = {
    "analogous": (0.0, 30.0, -30.0, 60.0, -60.0),
    "complementary": (0.0, 180.0),
    "split-complementary": (0.0, 150.0, -150.0),
    "triadic": (0.0, 120.0, -120.0),
}
SCHEME_CHOICES = ("auto", *SCHEMES)
DEFAULT_SCHEME = "analogous"
#: Which scheme a keyword region asks for: calm, trustworthy, refined and warm/energetic brands analogous (the
#: warm red-orange-yellow run is the classic energetic analogous scheme); bold ones complementary; playful ones
#: triadic; creative ones split-complementary. Regions not listed have no preference.
REGION_SCHEME: dict[str, str] = {
    "energy": "analogous",
    "passion": "analogous",
    "warm": "analogous",
    "bold": "complementary",
    "fun": "triadic",
    "kids": "triadic",
    "creative": "split-complementary",
    "innovation": "split-complementary",
    "calm": "analogous",
    "minimal": "analogous",
    "trust": "analogous",
    "professional": "analogous",
    "finance": "analogous",
    "elegant": "analogous",
    "luxury": "analogous",
    "nature": "analogous",
    "health": "analogous",
}
#: Sector half-width: a von Mises kernel exp(kappa (cos dh - 1)) with kappa = 1 / (20 deg)^2 in radians.
_KAPPA = 1.0 / math.radians(20.0) ** 2
#: Target OKLab chroma of the tinted neutrals, (background, surface, text) per variant (Material 3's neutral
#: palette at HCT chroma 4-8 lands here), and the Gaussian width of the tint fit. Light-ground text is a
#: brand-hued slate (chroma 0.035, as Tailwind CSS's slate-600/700 inks are a blue-tinted grey of chroma 0.037):
#: "greys don't have to be grey" (Wathan & Schoger 2018, *Refactoring UI*). Dark grounds carry a slightly
#: stronger tint (0.015 / 0.017, GitHub Primer's dark-dimmed canvas #22272E and overlay #2D333B have 0.015 and
#: 0.017), as Material 3 tints elevated dark surfaces with the primary (``surfaceTint``).
NEUTRAL_TINT = {"light": (0.008, 0.014, 0.035), "dark": (0.015, 0.017, 0.010)}
_TINT_SIGMA = 0.012
#: Share of its target tint each neutral (background, surface, text) keeps at least, per variant: grounds keep
#: the brand tint, the light variant's dark ink may be grey (see :func:`tint_band_distance2`); the dark variant's
#: light ink has a faint tint (0.010) that carries almost no hue effect, and keeps it.
TINT_FLOOR = {"light": (1.0, 1.0, 0.0), "dark": (1.0, 1.0, 1.0)}
#: Largest OKLab a-b distance of a free neutral from its tinted target that the optimiser tolerates.
TINT_RADIUS = 0.008
#: Supporting roles' chroma aim relative to the primary's (soft cap), and the chroma a grey brand's
#: supporting colours are measured against.
SUPPORT_CHROMA_RATIO = 0.5
_GREY_BRAND_CHROMA = 0.12
#: OKLab distance scale at which a role counts as showing a brand seed.
_SEED_SIGMA = 0.03
#: Primary chroma below which its hue is not a reliable brand hue (tints fade to grey, schemes to any hue).
_HUE_CHROMA = 0.04


def resolve_scheme(name: str, regions: list[Region]) -> str:
    """The scheme for a brief: an explicit name, or for ``auto`` the one most keyword regions ask for (first
    keyword wins ties), else :data:`DEFAULT_SCHEME`."""
    if name != "auto":
        return name
    votes: dict[str, int] = {}
    for region in regions:
        scheme = REGION_SCHEME.get(region.name)
        if scheme:
            votes[scheme] = votes.get(scheme, 0) + 1
    if not votes:
        return DEFAULT_SCHEME
    best = max(votes.values())
    return next(REGION_SCHEME[r.name] for r in regions if votes.get(REGION_SCHEME.get(r.name, ""), 0) == best)


def _unit(ab: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    c = torch.sqrt((ab * ab).sum(-1) + 1e-12)
    return ab / c[..., None], c


def scheme_fit(chrom_oklab: torch.Tensor, scheme: str, seed_oklab: torch.Tensor | None = None) -> torch.Tensor:
    """How well secondary/accent hues follow the scheme around the primary's hue, in [0, 1].

    ``chrom_oklab`` is (..., n_chrom, 3) with the primary first. Per non-primary role: the best von Mises fit to
    any sector (primary hue + offset), times a chroma-hierarchy fit (a soft cap at
    :data:`SUPPORT_CHROMA_RATIO` of the primary's chroma); a role that shows a brand seed (OKLab distance
    well under 0.03) fits fully whatever its hue and chroma; the mean over roles. When the primary is nearly grey
    its hue means little and the hue fit fades to 1 (any hue). With one chromatic role it is 1.
    """
    if chrom_oklab.shape[-2] < 2:
        return torch.ones(chrom_oklab.shape[:-2], dtype=chrom_oklab.dtype, device=chrom_oklab.device)
    u, c = _unit(chrom_oklab[..., 1:, 1:])
    up, cp = _unit(chrom_oklab[..., :1, 1:])
    fit = _sector_fit(u, up, scheme)  # (..., n_chrom - 1)
    weight = torch.sigmoid((cp - _HUE_CHROMA) / 0.01)  # (..., 1): how much the primary has a hue
    # A grey primary has no hue to build on: the first supporting colour then sets the hue family and the
    # other supporting colours take the scheme's places around it (its own hue is free).
    if u.shape[-2] > 1:
        rel = torch.cat((torch.ones_like(fit[..., :1]), _sector_fit(u[..., 1:, :], u[..., :1, :], scheme)), -1)
    else:
        rel = torch.ones_like(fit)
    hue_fit = weight * fit + (1.0 - weight) * rel
    # Chroma hierarchy: supporting colours are less saturated than the brand colour (Material 3 tonal spot:
    # secondary at 16/36 and tertiary at 24/36 of the primary's chroma). Grey brands allow modest colour.
    cap = SUPPORT_CHROMA_RATIO * torch.maximum(cp, torch.full_like(cp, _GREY_BRAND_CHROMA))
    chroma_fit = torch.exp(-0.5 * (torch.relu(c - cap) / 0.02) ** 2)
    role_fit = hue_fit * chroma_fit
    if seed_oklab is not None and seed_oklab.shape[0]:
        # A role showing one of the brand's own colours fits whatever the scheme says (pick K of C).
        d2 = ((chrom_oklab[..., 1:, None, :] - seed_oklab.to(chrom_oklab)) ** 2).sum(-1)  # (..., roles, seeds)
        role_fit = torch.maximum(role_fit, torch.exp(-d2 / (2 * _SEED_SIGMA**2)).max(-1).values)
    return role_fit.mean(-1)


def _sector_fit(u: torch.Tensor, ref: torch.Tensor, scheme: str) -> torch.Tensor:
    """Best von Mises fit of unit hue vectors ``u`` (..., n, 2) to the scheme's sectors around ``ref`` (..., 1, 2)."""
    cos_d = (u * ref).sum(-1)  # cos(h_i - h_ref)
    sin_d = ref[..., 0] * u[..., 1] - ref[..., 1] * u[..., 0]  # sin(h_i - h_ref)
    fits = []
    for offset in SCHEMES[scheme]:
        o = math.radians(offset)
        cos_rel = cos_d * math.cos(o) + sin_d * math.sin(o)  # cos(h_i - h_ref - o)
        fits.append(torch.exp(_KAPPA * (cos_rel - 1.0)))
    return torch.stack(fits, -1).max(-1).values


def _tint_targets(neutral_oklab: torch.Tensor, primary_oklab: torch.Tensor, variant: str) -> torch.Tensor:
    u, cp = _unit(primary_oklab[..., None, 1:])  # (..., 1, 2), (..., 1)
    strength = (cp / (cp + _HUE_CHROMA / 2)).clamp(max=1.0)[..., None]
    targets = torch.tensor(NEUTRAL_TINT[variant], dtype=neutral_oklab.dtype, device=neutral_oklab.device)
    return targets[:, None] * u * strength  # (..., 3, 2)


def tint_offset(neutral_oklab: torch.Tensor, primary_oklab: torch.Tensor, variant: str) -> torch.Tensor:
    """OKLab a-b distance (..., 3) of each neutral from the band between grey and its brand-tinted target (see
    :func:`tint_band_distance2`); the optimiser's penalty keeps it under :data:`TINT_RADIUS`, so neutrals never
    drift to a stray hue."""
    return torch.sqrt(tint_band_distance2(neutral_oklab, primary_oklab, variant) + 1e-12)


def tint_distance2(neutral_oklab: torch.Tensor, primary_oklab: torch.Tensor, variant: str) -> torch.Tensor:
    """Squared OKLab a-b distance (..., 3) of each neutral from its brand-tinted target: :func:`neutral_tint_fit`'s
    distance, computed once per optimiser step."""
    return ((neutral_oklab[..., 1:] - _tint_targets(neutral_oklab, primary_oklab, variant)) ** 2).sum(-1)


def tint_band_distance2(neutral_oklab: torch.Tensor, primary_oklab: torch.Tensor, variant: str) -> torch.Tensor:
    """Squared OKLab a-b distance (..., 3) of each neutral from its band: the segment from
    :data:`TINT_FLOOR` times its brand-tinted target to the target. Background and surface keep their full tint
    (the brand's hue family, as Material 3 builds its neutral palettes); light-ground text may be any tint of the
    brand hue from grey to its target, never another hue. The optimiser's penalty keeps the distance under
    :data:`TINT_RADIUS` (the Gaussian tint fit still prefers the target), so harmony can take the tint out of the
    ink where the brand hue is one Ou & Luo (2006) rate low: their hue effect H_S is negative for reds and
    purples, and a dark ink tinted at chroma 0.035 carries it fully (E_C near 1), a grey one hardly."""
    target = _tint_targets(neutral_oklab, primary_oklab, variant)  # (..., 3, 2)
    floor = torch.tensor(TINT_FLOOR[variant], dtype=target.dtype, device=target.device)[:, None]
    length2 = (target**2).sum(-1, keepdim=True)
    ab = neutral_oklab[..., 1:]
    t = torch.maximum(((ab * target).sum(-1, keepdim=True) / (length2 + 1e-12)).clamp(max=1.0), floor)
    return ((ab - t * target) ** 2).sum(-1)


def neutral_tint_fit_from(d2: torch.Tensor) -> torch.Tensor:
    """:func:`neutral_tint_fit` from :func:`tint_distance2`."""
    return torch.exp(-d2 / (2 * _TINT_SIGMA**2)).mean(-1)


def neutral_tint_fit(neutral_oklab: torch.Tensor, primary_oklab: torch.Tensor, variant: str) -> torch.Tensor:
    """How close background/surface/text (..., 3, 3) are to the brand-tinted neutral targets, in [0, 1].

    Target: a + bi = chroma_target * unit(primary a + bi) * smooth(C_p), so a grey primary asks for greys. Fit:
    mean over the three rows of exp(-|ab - target|^2 / (2 sigma^2)) with sigma = 0.012 (OKLab units).
    """
    d2 = ((neutral_oklab[..., 1:] - _tint_targets(neutral_oklab, primary_oklab, variant)) ** 2).sum(-1)
    return torch.exp(-d2 / (2 * _TINT_SIGMA**2)).mean(-1)


def tone_pair_fit(light_chrom: torch.Tensor, dark_chrom: torch.Tensor) -> torch.Tensor:
    """How well each non-primary role's dark tone keeps its light tone's hue, in [0, 1] (mean von Mises fit
    over roles; 1 with a single chromatic role). Chroma and lightness are free: only the hue family is tied."""
    if light_chrom.shape[-2] < 2:
        return torch.ones(light_chrom.shape[:-2], dtype=light_chrom.dtype, device=light_chrom.device)
    ul, _ = _unit(light_chrom[..., 1:, 1:])
    ud, _ = _unit(dark_chrom[..., 1:, 1:])
    return torch.exp(_KAPPA * ((ul * ud).sum(-1) - 1.0)).mean(-1)


def scheme_hues(primary_hue: float, scheme: str) -> list[float]:
    """Absolute sector hues (degrees) of ``scheme`` around ``primary_hue``, the primary's own first."""
    return [(primary_hue + o) % 360.0 for o in SCHEMES[scheme]]
