"""Legibility and distinguishability (辨识度): WCAG contrast, colour-vision-deficiency simulation and V(S).

Sources:

- W3C (2018), *Web Content Accessibility Guidelines (WCAG) 2.1*, definitions of "contrast ratio" and
  "relative luminance"; success criteria 1.4.3 (text 4.5:1) and 1.4.11 (non-text 3:1).
- G. M. Machado, M. M. Oliveira, L. A. F. Fernandes (2009), *A physiologically-based model for simulation of
  color vision deficiency*, IEEE TVCG 15(6):1291-1298 (matrices for severity 1.0, applied to linear RGB; the
  values below are the paper's table as reproduced by colour-science's ``matrix_cvd_Machado2009``).
"""

from __future__ import annotations

import math

import torch

from .colorspace import _mat, delta_e_2000, hex_to_linear, linear_to_lab, relative_luminance

#: Machado et al. (2009), protanopia (protanomaly severity 1.0), linear RGB.
MACHADO_PROTANOPIA = (
    (0.152286, 1.052583, -0.204868),
    (0.114503, 0.786281, 0.099216),
    (-0.003882, -0.048116, 1.051998),
)
#: Machado et al. (2009), deuteranopia (deuteranomaly severity 1.0), linear RGB.
MACHADO_DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)

#: Machado et al. (2009), tritanopia (tritanomaly severity 1.0), linear RGB.
MACHADO_TRITANOPIA = (
    (1.255528, -0.076749, -0.178779),
    (-0.078411, 0.930809, 0.147602),
    (0.004733, 0.691367, 0.303900),
)
CVD_KINDS = ("deuteranopia", "protanopia", "tritanopia")

#: Hard constraints (WCAG 2.x AA): text on background/surface, and primary (non-text UI) on background.
MIN_TEXT_CONTRAST = 4.5
MIN_PRIMARY_CONTRAST = 3.0
#: Background and surface must stay visibly different (CIEDE2000).
MIN_BG_SURFACE_DE00 = 2.5
#: Aims (soft): chromatic roles apart by this CIEDE2000, normally and under simulated deuteranopia/protanopia.
AIM_ACCENT_DE00 = 20.0
AIM_ACCENT_DE00_CVD = 10.0
#: The optimiser aims this much past the aims, so that rounding and repair do not land just below them.
AIM_MARGIN = 1.1


def contrast_ratio(lin_a: torch.Tensor, lin_b: torch.Tensor) -> torch.Tensor:
    """WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter relative luminance (WCAG 2.1).

    Linearisation uses the sRGB threshold 0.04045; WCAG 2.x prints 0.03928 (from an sRGB draft). No 8-bit
    channel value lies between the two (10/255 = 0.0392, 11/255 = 0.0431), so ratios of ``#rrggbb`` colours
    are identical either way.
    """
    ya, yb = relative_luminance(lin_a), relative_luminance(lin_b)
    return (torch.maximum(ya, yb) + 0.05) / (torch.minimum(ya, yb) + 0.05)


def wcag_contrast(hex_a: str, hex_b: str) -> float:
    """WCAG 2.x contrast ratio of two ``#rrggbb`` colours, from 1.0 to 21.0 (black on white is 21)."""
    lin = hex_to_linear([hex_a, hex_b])
    return float(contrast_ratio(lin[0], lin[1]))


def simulate_cvd(lin: torch.Tensor, kind: str) -> torch.Tensor:
    """Simulate dichromacy (``deuteranopia``, ``protanopia`` or ``tritanopia``) on linear RGB with Machado et al.
    (2009) severity-1.0 matrices, clamped to gamut."""
    table = {"deuteranopia": MACHADO_DEUTERANOPIA, "protanopia": MACHADO_PROTANOPIA,
             "tritanopia": MACHADO_TRITANOPIA}[kind]
    return (lin @ _mat(table, lin).T).clamp(1e-6, 1.0)


def simulate_cvd_hex(hexes: list[str], kind: str) -> list[str]:
    """How ``#rrggbb`` colours look to a person with ``kind`` dichromacy (for previews), as ``#RRGGBB``."""
    from .colorspace import linear_to_hex

    return linear_to_hex(simulate_cvd(hex_to_linear(hexes), kind))


def soft_min(x: torch.Tensor, tau: float, dim: int = -1) -> torch.Tensor:
    """Smooth minimum ``-tau * log(mean(exp(-x / tau)))``: between min(x) and mean(x), equals min as tau -> 0."""
    n = x.shape[dim]
    return -tau * (torch.logsumexp(-x / tau, dim=dim) - math.log(n))


def pairwise_indices(n_chrom: int) -> tuple[list[int], list[int]]:
    """Index pairs over a variant palette (bg, surface, text, chromatic...) whose distances V(S) considers.

    Every chromatic role against the background, and every pair of chromatic roles. Text is excluded (its
    legibility is the contrast terms' job) and so is background/surface (kept apart by its own constraint).
    """
    first, second = [], []
    chrom = list(range(3, 3 + n_chrom))
    for i, a in enumerate(chrom):
        first.append(0)
        second.append(a)
        for b in chrom[i + 1 :]:
            first.append(a)
            second.append(b)
    return first, second


def chromatic_distances(pal: torch.Tensor, vision: str = "normal") -> torch.Tensor:
    """CIEDE2000 between chromatic roles only, (batch, pairs); the last dim is empty with one chromatic role."""
    n_chrom = pal.shape[-2] - 3
    first, second = pairwise_indices(n_chrom)
    keep = [i for i, a in enumerate(first) if a != 0]
    lin = pal if vision == "normal" else simulate_cvd(pal, vision)
    lab = linear_to_lab(lin)
    return delta_e_2000(lab[..., [first[i] for i in keep], :], lab[..., [second[i] for i in keep], :])


def saturate(x: torch.Tensor, sharpness: float = 6.0) -> torch.Tensor:
    """Smooth min(x, 1) for x >= 0: ``1 - softplus(s (1 - x)) / s``, clamped at 0 (about x below 1, 1 above)."""
    return (1.0 - torch.nn.functional.softplus(sharpness * (1.0 - x)) / sharpness).clamp_min(0.0)


def distance_term(d_normal: torch.Tensor, d_deut: torch.Tensor, d_prot: torch.Tensor) -> torch.Tensor:
    """Distinguishability part of V: 0.35 sat(D / 20) + 0.125 sat(D_deut / 10) + 0.125 sat(D_prot / 10).

    D is the soft minimum (tau = 2, :func:`soft_min`) of CIEDE2000 over :func:`pairwise_indices` under normal
    vision; D_deut and D_prot the same after Machado et al. (2009) simulation. The scales are the aims
    :data:`AIM_ACCENT_DE00` and :data:`AIM_ACCENT_DE00_CVD` times :data:`AIM_MARGIN`; ``sat`` (:func:`saturate`) stops rewarding
    distance past the aim, so accents are pushed apart as far as the aim and no further (beyond it, distance
    only costs harmony). Range [0, 0.6].
    """
    return (
        0.35 * saturate(soft_min(d_normal, 2.0) / (AIM_MARGIN * AIM_ACCENT_DE00))
        + 0.125 * saturate(soft_min(d_deut, 2.0) / (AIM_MARGIN * AIM_ACCENT_DE00_CVD))
        + 0.125 * saturate(soft_min(d_prot, 2.0) / (AIM_MARGIN * AIM_ACCENT_DE00_CVD))
    )


def contrast_term(cr_text: torch.Tensor, cr_ui: torch.Tensor) -> torch.Tensor:
    """Contrast part of V (WCAG 2.x), range [0, 0.4].

    0.2 mean clamp(ln CR / ln 7, 0, 1) over text/background and text/surface (saturating at AAA, 7:1) plus
    0.2 mean clamp(ln CR / ln 3, 0, 1) over each chromatic role on the background (WCAG 1.4.11 asks 3:1 of
    user-interface components; the term saturates there, so accents are not pushed darker, on light grounds,
    or lighter, on dark ones, than legibility needs).
    """
    text = (torch.log(cr_text) / math.log(7.0)).clamp(0.0, 1.0).mean(-1)
    ui = (torch.log(cr_ui) / math.log(3.0)).clamp(0.0, 1.0).mean(-1)
    return 0.2 * text + 0.2 * ui
