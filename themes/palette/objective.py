"""U(S) = alpha H(S) + beta V(S) + gamma B(S), and the soft penalties the optimiser adds.

Palettes are scored as a (light, dark) pair of variant tensors (batch, 3 + n_chrom, 3) in linear RGB whose
rows are background, surface, text, then the chromatic roles. Each term is the mean over the two variants:

- H: :func:`themes.palette.harmony.harmony_score` (Ou & Luo 2006);
- V: :func:`themes.palette.legibility.distance_term` + :func:`themes.palette.legibility.contrast_term`
  (CIEDE2000 soft minimum under normal vision and Machado et al. 2009 CVD; WCAG contrast), range [0, 1];
- B: :func:`themes.palette.brand.brand_score_from` on the chromatic rows (seed fit, keyword regions), with more
  parts from :mod:`themes.palette.scheme`: the scheme fit (secondary/accent hues placed relative to the
  primary's hue, counted :data:`SCHEME_PARTS` times), the neutral tint fit (background, surface and text tinted
  toward the brand hue) and the tone-pair fit (each accent's dark tone keeps its light tone's hue);
- extra terms: differentiable objective-term plugins (:class:`Term`), each ``weight * fn(light, dark)`` added
  to U and reported under its name.

The penalties are *not* part of the reported U; they steer the optimiser towards the feasible region that
:mod:`themes.palette.repair` then enforces exactly: hinges on ln(contrast) with an 8% margin for the hard WCAG
constraints, on background/surface CIEDE2000 (target 3.2), on polarity (OKLab L of light background >= 0.92 and
surface >= 0.88; dark background <= 0.28 and surface <= 0.34, :data:`DARK_GROUND_MAX_L`), on background/surface/text chroma (OKLab C <= 0.03 /
0.04 / 0.04, the near-neutral grounds and ink of current design systems), on chromatic roles' chroma (OKLab
C >= 0.06), on text lightness outside the ink band :data:`INK_L`, on a variant's mean Ou-Luo CH below :data:`HARMONY_FLOOR`, on neutrals straying from their brand-tinted targets (OKLab a-b distance above
:data:`themes.palette.scheme.TINT_RADIUS`), on the accent-distance aims (CIEDE2000 20, and 10 under deuteranopia, each with a 10 % margin),
on supporting colours below 3:1 on the background (WCAG 2.x SC 1.4.11, :data:`SUPPORT_UI_CONTRAST`), and on
brand colours (the K best shown of C) that no chromatic role shows (:data:`SEED_SHOWN_DE00`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import torch

from .brand import brand_score_from
from .colorspace import delta_e_2000, lab_to_lch, linear_to_lab, linear_to_oklab, relative_luminance
from .harmony import harmony_score
from .legibility import (
    AIM_ACCENT_DE00,
    AIM_ACCENT_DE00_CVD,
    AIM_MARGIN,
    MIN_PRIMARY_CONTRAST,
    MIN_TEXT_CONTRAST,
    contrast_term,
    distance_term,
    pairwise_indices,
    simulate_cvd,
)
from .lexicon import Region
from .scheme import (
    TINT_RADIUS,
    neutral_tint_fit_from,
    scheme_fit,
    tint_band_distance2,
    tint_distance2,
    tone_pair_fit,
)

PENALTY_WEIGHT = 10.0
#: Each variant's mean Ou-Luo CH over its role pairs should reach this (a soft floor: 0.30 is the level the
#: issue asks of candidates, with a margin); below it the penalty grows linearly.
HARMONY_FLOOR = 0.4
#: Its weight in the penalty: light enough that a creator's own (unlocked) brand colours still win over it, heavy
#: enough that the floor holds with harmony weighted like legibility and brand fit (alpha = 1, the default).
HARMONY_FLOOR_WEIGHT = 1.25
#: Weight of the hinge that keeps free neutrals within TINT_RADIUS of their brand-tinted targets: firm, because the
#: harmony floor otherwise pulls surfaces toward Ou-Luo's favoured pale yellow whatever the brand hue (a heavier
#: floor weight, 2, pushed a pink brand's surface to cream even so).
TINT_WEIGHT = 20.0
#: Weight of the accent-distance aims in the penalty (they compete with the harmony floor; distinguishable
#: accents win).
ACCENT_AIM_WEIGHT = 1.0
#: The scheme fit counts as this many parts of B (accents that belong to the brand are its main job).
SCHEME_PARTS = 3
#: Chromatic roles are colours by definition: OKLab chroma below this is penalised (locked colours excepted,
#: they are constants).
MIN_ROLE_CHROMA = 0.06
_MARGIN = 1.08
#: Text is a soft ink, not pure black: OKLab lightness band of the text per variant. On light grounds body text
#: is a dark slate, the way Tailwind CSS's typography plugin sets prose body text in its 700 greys (slate-700
#: #334155 is OKLab L 0.37, slate-600 #475569 L 0.45; Tailwind CSS v3 default palette, @tailwindcss/typography)
#: and Refactoring UI (Wathan & Schoger 2018, "Don't use grey text on coloured backgrounds" / "Greys don't have
#: to be grey") advises against near-black: L 0.37-0.45 keeps text at WCAG AAA (7:1) or better on a white ground
#: (#475569 on #FFFFFF is 7.6:1) while near-black ink on near-white is the harshest pairing of a page. Repair still
#: enforces 4.5:1 exactly. Material Design 3 draws onSurface darker (neutral tone 10-20); a lighter, tinted ink
#: also lifts the Ou & Luo (2006) lightness-sum effect of every text pair. Dark text (light ink) is free up to
#: near white.
INK_L = {"light": (0.37, 0.45), "dark": (0.88, 0.97)}
#: Largest OKLab lightness of the dark variant's background and surface. Dark grounds are a dimmed charcoal
#: rather than near-black: GitHub Primer's "dark dimmed" theme puts its canvas at #22272E (OKLab L 0.27) and
#: overlays at #2D333B (0.32), Material 2's dark theme starts at #121212 (0.18) and lightens elevated surfaces
#: toward #383838 (Material Design, "Dark theme", 2019), Material 3's surface containers reach tone 22 (0.33).
#: Lighter grounds also raise Ou & Luo's (2006) lightness-sum effect of every pair with a ground.
DARK_GROUND_MAX_L = (0.28, 0.34)
#: Largest OKLab chroma of the text per variant: ink, not a colour. Light-ground ink carries the brand tint of
#: :data:`themes.palette.scheme.NEUTRAL_TINT` (slate-700 has chroma 0.039), dark-ground ink stays near white.
TEXT_MAX_CHROMA = {"light": 0.05, "dark": 0.04}
INK_WEIGHT = 5.0
#: Supporting colours (secondary, accents) are interface colours too (chips, tags, icons, charts): WCAG 2.x SC
#: 1.4.11 asks 3:1 of user-interface components against adjacent colours. A soft aim on the background in each
#: variant (unlocked roles; the primary's 3:1 is a hard guarantee), the way Material 3 puts every key colour at
#: tone 40 on light and 80 on dark; without it accents drifted to pastels that vanish on the ground.
SUPPORT_UI_CONTRAST = 3.0
SUPPORT_UI_WEIGHT = 0.45
#: OKLab distance within which a supporting role counts as showing a brand colour (exempt from that aim).
BRAND_ROLE_SIGMA = 0.03
#: Pick K of C, as a penalty: in each variant, each of the K brand colours nearest to the palette's chromatic
#: roles should be shown (CIEDE2000 to its nearest role under :data:`SEED_SHOWN_DE00`); beyond that the penalty
#: grows linearly per 10 units. B's seed fit alone is too flat far from a seed to keep a second brand colour
#: against harmony, so unlocked brand colours were dropped. Grey seeds (OKLab chroma under MIN_ROLE_CHROMA) cannot
#: be a chromatic role and are left out.
SEED_SHOWN_DE00 = 1.0
SEED_SHOWN_WEIGHT = 0.02


@dataclass(frozen=True)
class Term:
    """An extra objective term: ``fn(light, dark) -> (batch,)``, a differentiable torch function of the two
    variant palettes (batch, 3 + n_chrom, 3) in linear RGB (rows background, surface, text, primary, ...),
    ideally in [0, 1]. ``weight * fn`` is added to U and steers the optimiser; the value is reported in the
    candidate's scores under ``name``."""

    name: str
    weight: float
    fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass
class Context:
    """Everything about a brief the objective needs, prepared once."""

    alpha: float
    beta: float
    gamma: float
    seeds_lin: torch.Tensor | None
    regions: list[Region]
    primary_must_hold: dict[str, bool]
    surface_merged: bool
    scheme: str = "analogous"
    pick: int | None = None
    terms: list[Term] = field(default_factory=list)
    _seed_cache: dict = field(default_factory=dict, repr=False, compare=False)


@functools.lru_cache(maxsize=32)
def _pair_index(n_chrom: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, int]:
    """Index tensors of the CIEDE2000 pairs (V's pairs, then background/surface) and the number of V's pairs;
    cached, since every optimiser step asks for the same ones."""
    first, second = pairwise_indices(n_chrom)
    n_v = len(first)
    return (torch.tensor(first + [0], device=device), torch.tensor(second + [1], device=device), n_v)


def _seed_spaces(ctx: Context, like: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The brand seeds in CIELAB and OKLab, in ``like``'s dtype and device (constants: computed once per
    seeds tensor, dtype and device, then reused by every step)."""
    key = (id(ctx.seeds_lin), like.dtype, like.device)
    cached = ctx._seed_cache.get(key)
    if cached is None or cached[0] is not ctx.seeds_lin:
        seeds = ctx.seeds_lin.to(like)
        cached = (ctx.seeds_lin, linear_to_lab(seeds), linear_to_oklab(seeds))
        ctx._seed_cache[key] = cached
    return cached[1], cached[2]


def _ratio(y: torch.Tensor, i: int, j: int | list[int]) -> torch.Tensor:
    a, b = y[..., i : i + 1], y[..., j] if isinstance(j, list) else y[..., j : j + 1]
    return (torch.maximum(a, b) + 0.05) / (torch.minimum(a, b) + 0.05)


def _hinge_ln(cr: torch.Tensor, target: float) -> torch.Tensor:
    return torch.relu(math.log(target * _MARGIN) - torch.log(cr)).sum(-1)


def evaluate(light: torch.Tensor, dark: torch.Tensor, ctx: Context, with_penalty: bool = True) -> dict[str, torch.Tensor]:
    """U, H, V, B (and the penalty P when asked) per palette, each of shape (batch,).

    Batched for speed: the six palettes (light, dark; normal, deuteranopia, protanopia) go through one CIELAB
    conversion and one CIEDE2000 call, the two variants through one Ou-Luo call.
    """
    n_roles = light.shape[-2]
    n_chrom = n_roles - 3
    pals = torch.stack((light, dark))  # (2, B, R, 3)
    n_seeds = 0 if ctx.seeds_lin is None else ctx.seeds_lin.shape[0]
    allp = torch.cat((pals, simulate_cvd(pals, "deuteranopia"), simulate_cvd(pals, "protanopia")))
    lab = linear_to_lab(allp)  # (6, B, R, 3)
    fi, si, n_v = _pair_index(n_chrom, lab.device)
    d = delta_e_2000(lab.index_select(-2, fi), lab.index_select(-2, si))  # (6, B, pairs)
    seed_d = seed_ok = None
    if n_seeds:  # seeds (constants) against every chromatic role, normal vision only: (2, B, S, n_chrom)
        seeds_lab, seed_ok = _seed_spaces(ctx, pals)
        seed_d = delta_e_2000(seeds_lab[:, None, :], lab[0:2, :, None, 3:n_roles])
    dist = distance_term(d[0:2, :, :n_v], d[2:4, :, :n_v], d[4:6, :, :n_v])  # (2, B)
    y = relative_luminance(pals)  # (2, B, R)
    cr_text = _ratio(y, 2, [0, 1])
    cr_ui = _ratio(y, 0, list(range(3, n_roles)))
    v = dist + contrast_term(cr_text, cr_ui)
    h = harmony_score(lab[0:2, :, :n_roles])
    oklab = linear_to_oklab(pals)
    oklch = lab_to_lch(oklab)  # (2, B, R, 3)
    scheme = scheme_fit(oklab[:, :, 3:], ctx.scheme, seed_ok)
    tint_d2 = torch.stack([tint_distance2(oklab[i, :, :3], oklab[i, :, 3], v) for i, v in enumerate(("light", "dark"))])
    extra = [
        *[scheme] * SCHEME_PARTS,
        neutral_tint_fit_from(tint_d2),
        tone_pair_fit(oklab[0, :, 3:], oklab[1, :, 3:])[None].expand(2, -1),
    ]
    b = brand_score_from(seed_d, oklch[:, :, 3:], ctx.regions, extra=extra, pick=ctx.pick)
    out = {"U": None, "H": h.mean(0), "V": v.mean(0), "B": b.mean(0)}
    out["U"] = ctx.alpha * out["H"] + ctx.beta * out["V"] + ctx.gamma * out["B"]
    for term in ctx.terms:
        out[term.name] = term.fn(light, dark)
        out["U"] = out["U"] + term.weight * out[term.name]
    if with_penalty:
        out["P"] = _penalty(pals, oklch, cr_text, cr_ui, d, n_v, ctx, seed_ok)
        band_d2 = torch.stack([tint_band_distance2(oklab[i, :, :3], oklab[i, :, 3], v)
                               for i, v in enumerate(("light", "dark"))])
        tint = torch.sqrt(band_d2 + 1e-12)  # (2, B, 3): each neutral's distance from grey-to-brand-tint
        mean_ch = torch.atanh((2.0 * h - 1.0).clamp(-0.999999, 0.999999))  # (2, B): mean Ou-Luo CH per variant
        out["P"] = out["P"] + HARMONY_FLOOR_WEIGHT * torch.relu(HARMONY_FLOOR - mean_ch).sum(0)
        out["P"] = out["P"] + TINT_WEIGHT * torch.relu(tint - TINT_RADIUS).sum(-1).sum(0)
        if seed_d is not None and SEED_SHOWN_WEIGHT:
            out["P"] = out["P"] + SEED_SHOWN_WEIGHT * _seeds_unshown(seed_d, seed_ok, ctx.pick)
    return out


def scores(light: torch.Tensor, dark: torch.Tensor, ctx: Context) -> dict[str, torch.Tensor]:
    """H, V, B and U per palette (each of shape (batch,)), without the penalty."""
    return evaluate(light, dark, ctx, with_penalty=False)


def _seeds_unshown(seed_d: torch.Tensor, seed_ok: torch.Tensor, pick: int | None) -> torch.Tensor:
    """Per palette, the CIEDE2000 (in units of 10) by which the K best-shown chromatic brand colours miss their
    nearest chromatic role, beyond :data:`SEED_SHOWN_DE00`, summed over seeds and variants. ``seed_d`` is
    (2, batch, seeds, chromatic roles)."""
    near = seed_d.min(-1).values  # (2, B, S)
    grey = torch.sqrt((seed_ok[:, 1:] ** 2).sum(-1)) < MIN_ROLE_CHROMA  # (S,)
    near = torch.where(grey.to(near.device), torch.zeros_like(near), near)
    k = near.shape[-1] if pick is None else min(pick, near.shape[-1])
    near = near.topk(k, dim=-1, largest=False).values
    return (torch.relu(near - SEED_SHOWN_DE00) / 10.0).sum(-1).sum(0)


def _penalty(pals, oklch, cr_text, cr_ui, d, n_v, ctx: Context, seed_ok: torch.Tensor | None = None) -> torch.Tensor:
    """Soft constraint violation per palette (0 when comfortably feasible)."""
    total = _hinge_ln(cr_text, MIN_TEXT_CONTRAST).sum(0)
    primary_hinge = _hinge_ln(cr_ui[..., :1], MIN_PRIMARY_CONTRAST)  # (2, B)
    for i, variant in enumerate(("light", "dark")):
        if ctx.primary_must_hold[variant]:
            total = total + primary_hinge[i]
    lch = oklch[:, :, :2]  # (2, B, 2, 3) grounds in OKLCh
    total = total + torch.relu(0.92 - lch[0, :, 0, 0]) + torch.relu(0.88 - lch[0, :, 1, 0])
    total = total + torch.relu(lch[1, :, 0, 0] - DARK_GROUND_MAX_L[0]) + torch.relu(lch[1, :, 1, 0] - DARK_GROUND_MAX_L[1])
    total = total + 5.0 * (torch.relu(lch[..., 0, 1] - 0.03) + torch.relu(lch[..., 1, 1] - 0.04)).sum(0)
    total = total + 5.0 * (torch.relu(oklch[0, :, 2, 1] - TEXT_MAX_CHROMA["light"])  # text is ink, not a colour
                           + torch.relu(oklch[1, :, 2, 1] - TEXT_MAX_CHROMA["dark"]))
    ink = oklch[:, :, 2, 0]  # (2, B) text lightness per variant
    (lo_l, hi_l), (lo_d, hi_d) = INK_L["light"], INK_L["dark"]
    total = total + INK_WEIGHT * (torch.relu(lo_l - ink[0]) + torch.relu(ink[0] - hi_l)
                                  + torch.relu(lo_d - ink[1]) + torch.relu(ink[1] - hi_d))
    if not ctx.surface_merged:
        total = total + (torch.relu(3.2 - d[0:2, :, n_v]) / 3.2).sum(0)
    chroma = oklch[:, :, 3:, 1]
    total = total + 5.0 * torch.relu(MIN_ROLE_CHROMA - chroma).sum(-1).sum(0)
    if cr_ui.shape[-1] > 1 and SUPPORT_UI_WEIGHT:
        short = torch.relu(math.log(SUPPORT_UI_CONTRAST * _MARGIN) - torch.log(cr_ui[..., 1:]))  # (2, B, roles)
        if seed_ok is not None:
            # a role showing one of the brand's own colours keeps it (brand fidelity wins over the aim)
            sup = linear_to_oklab(pals[..., 4:, :])
            d2 = ((sup[..., :, None, :] - seed_ok) ** 2).sum(-1).min(-1).values
            short = short * (1.0 - torch.exp(-d2 / (2 * BRAND_ROLE_SIGMA**2)))
        total = total + SUPPORT_UI_WEIGHT * short.sum(-1).sum(0)
    n_chrom = pals.shape[-2] - 3
    if n_chrom > 1:
        first, _ = pairwise_indices(n_chrom)
        chrom_pairs = [i for i, a in enumerate(first) if a != 0]
        aim = torch.relu(AIM_MARGIN * AIM_ACCENT_DE00 - d[0:2, :, chrom_pairs]) / AIM_ACCENT_DE00
        aim_cvd = torch.relu(AIM_MARGIN * AIM_ACCENT_DE00_CVD - d[2:4, :, chrom_pairs]) / AIM_ACCENT_DE00_CVD
        total = total + ACCENT_AIM_WEIGHT * (aim.mean(-1) + aim_cvd.mean(-1)).sum(0)
    return total
