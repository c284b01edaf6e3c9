"""H(S): colour harmony from the Ou & Luo (2006) two-colour harmony model.

Source: L.-C. Ou, M. R. Luo (2006), *A colour harmony model for two-colour combinations*, Color Research &
Application 31(3):191-204. The model predicts the mean harmony rating of a colour pair from CIELAB values as
three additive effects - chromatic difference, lightness (sum and difference) and hue - which is why it also
covers the "lightness/chroma balance" of a palette: H_L rewards pairs whose lightness sum is high and whose
lightness difference is clear, H_C penalises large chromatic differences.

Limits (stated so nobody overfits to the number): the model was fitted to pairs on a grey surround and its
agreement with individual observers' ratings is loose (it predicts group means, not a person's taste); multi-colour palettes
are scored here as the mean over pairs, which Ou & Luo's later three-colour work supports only approximately.
H is therefore a sound, documented prior in the objective, not a ground truth.
"""

from __future__ import annotations

import functools
import math

import torch

from .colorspace import lab_to_lch


def ou_luo_pair(lab1: torch.Tensor, lab2: torch.Tensor) -> torch.Tensor:
    """Ou & Luo (2006) harmony CH of two CIELAB colours (eqs. 2-10); > 0 harmonious, < 0 disharmonious.

    CH = H_C + H_L + H_H with
    H_C = 0.04 + 0.53 tanh(0.8 - 0.045 dC), dC = sqrt(dH*_ab^2 + (dC*_ab / 1.46)^2);
    H_L = H_Lsum + H_dL, H_Lsum = 0.28 + 0.54 tanh(-3.88 + 0.029 L_sum), H_dL = 0.14 + 0.15 tanh(-2 + 0.2 dL);
    H_H = H_SY1 + H_SY2, H_SY = E_C (H_S + E_Y), E_C = 0.5 + 0.5 tanh(-2 + 0.5 C*_ab),
    H_S = -0.08 - 0.14 sin(h + 50 deg) - 0.07 sin(2h + 90 deg),
    E_Y = ((0.22 L* - 12.8) / 10) exp((90 deg - h) / 10 - exp((90 deg - h) / 10)).
    """
    lch1, lch2 = lab_to_lch(lab1), lab_to_lch(lab2)
    L1, c1, h1 = lch1.unbind(-1)
    L2, c2, h2 = lch2.unbind(-1)
    return _pair_terms(lab1, lab2, c1, c2) + _h_sy(L1, c1, h1) + _h_sy(L2, c2, h2)


def _h_sy(L: torch.Tensor, c: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """Ou & Luo's hue effect of one colour, H_SY = E_C (H_S + E_Y) (h in degrees)."""
    e_c = 0.5 + 0.5 * torch.tanh(-2.0 + 0.5 * c)
    rad = torch.deg2rad(h)
    h_s = -0.08 - 0.14 * torch.sin(rad + math.radians(50)) - 0.07 * torch.sin(2 * rad + math.radians(90))
    x = (90.0 - h) / 10.0
    e_y = ((0.22 * L - 12.8) / 10.0) * torch.exp(x - torch.exp(x))
    return e_c * (h_s + e_y)


def _pair_terms(lab1: torch.Tensor, lab2: torch.Tensor, c1: torch.Tensor, c2: torch.Tensor) -> torch.Tensor:
    """H_C + H_Lsum + H_dL of :func:`ou_luo_pair` (the parts that depend on the pair), from CIELAB and chroma."""
    L1, a1, b1 = lab1.unbind(-1)
    L2, a2, b2 = lab2.unbind(-1)
    dH2 = (2.0 * (c1 * c2 - a1 * a2 - b1 * b2)).clamp_min(0.0)
    dC = torch.sqrt(dH2 + ((c1 - c2) / 1.46) ** 2 + 1e-12)
    h_c = 0.04 + 0.53 * torch.tanh(0.8 - 0.045 * dC)
    h_lsum = 0.28 + 0.54 * torch.tanh(-3.88 + 0.029 * (L1 + L2))
    h_dl = 0.14 + 0.15 * torch.tanh(-2.0 + 0.2 * (L1 - L2).abs())
    return h_c + h_lsum + h_dl


def harmony_pairs(n_chrom: int) -> tuple[list[int], list[int]]:
    """Pairs of a variant palette (bg, surface, text, chromatic...) that H(S) averages over.

    Every pair of roles: a viewer sees text on the background and on the surface, cards on the page, buttons
    and accents on both, so every pair is seen together (a pastel text or a tinted surface of a stray hue
    would otherwise go unscored).
    """
    idx = list(range(3 + n_chrom))
    first, second = [], []
    for i, a in enumerate(idx):
        for b in idx[i + 1 :]:
            first.append(a)
            second.append(b)
    return first, second


def harmony_score(lab: torch.Tensor) -> torch.Tensor:
    """H(S) for variant palettes given in CIELAB (..., roles, 3), in [0, 1].

    H = (1 + tanh(mean CH)) / 2, the mean of Ou-Luo CH over :func:`harmony_pairs`.
    """
    n = lab.shape[-2]
    fi, si = _pair_index(n, lab.device)
    lch = lab_to_lch(lab)  # once per colour, not per pair
    c = lch[..., 1]
    pair = _pair_terms(lab.index_select(-2, fi), lab.index_select(-2, si), c.index_select(-1, fi), c.index_select(-1, si))
    # The hue effect is a sum of one term per colour, so its mean over all pairs is 2 / n times the sum over the
    # colours (each colour is in n - 1 of the n (n - 1) / 2 pairs): the same value, n colours' work, not 2 per pair.
    hue = _h_sy(lch[..., 0], c, lch[..., 2]).sum(-1) * (2.0 / n)
    ch = pair.mean(-1) + hue
    return 0.5 * (1.0 + torch.tanh(ch))


@functools.lru_cache(maxsize=16)
def _pair_index(n: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    first, second = harmony_pairs(n - 3)
    return torch.tensor(first, device=device), torch.tensor(second, device=device)
