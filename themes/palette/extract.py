"""Brand colours from a logo: weighted k-means in OKLab, background and near-greys discounted.

Pure torch (no image library): the caller decodes the image (PIL on the Django side) and passes its pixels as
an (H, W, 3) or (H, W, 4) array of 8-bit values (anything ``torch.as_tensor`` takes).

Steps:

1. subsample to at most ``max_pixels`` pixels (a regular stride, so the result is deterministic); drop pixels
   that are mostly transparent (alpha < 128);
2. convert to OKLab (Ottosson 2020), where Euclidean distance approximates perceived difference, so clusters are
   perceptual;
3. the background is the colour of the image border (the median of the border pixels, logos are drawn on a
   plain field): pixels within OKLab distance 0.06 of it are dropped;
4. near-greys (OKLab chroma < 0.035) keep only a tenth of their weight, so a black wordmark does not outvote a
   small red emblem, yet an all-grey logo still yields its greys;
5. k-means (Lloyd 1982) with k-means++ seeding (Arthur & Vassilvitskii 2007) from a fixed generator, weighted
   by step 4; clusters closer than 0.05 are merged;
6. each cluster is represented by its most central real pixel (the logo's own colour, not an average that may
   appear nowhere) and ranked by weighted share.
"""

from __future__ import annotations

from typing import Any

import torch

from .colorspace import linear_to_hex, linear_to_oklab, srgb_to_linear

BACKGROUND_DISTANCE = 0.06
GREY_CHROMA = 0.035
GREY_WEIGHT = 0.1
MERGE_DISTANCE = 0.05


def _pixels(image: Any, max_pixels: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, 3) sRGB in [0, 1] of opaque pixels and (M, 3) of the border pixels."""
    arr = torch.as_tensor(image)
    if arr.ndim != 3 or arr.shape[-1] not in (3, 4) or arr.shape[0] < 1 or arr.shape[1] < 1:
        raise ValueError("the logo must be an image with RGB or RGBA pixels")
    arr = arr.to(torch.float64)
    if float(arr.max()) > 1.0:
        arr = arr / 255.0
    h, w = arr.shape[:2]
    stride = max(1, int((h * w / max_pixels) ** 0.5 + 0.999))
    border = torch.cat((arr[0], arr[-1], arr[:, 0], arr[:, -1]))
    arr = arr[::stride, ::stride].reshape(-1, arr.shape[-1])
    if arr.shape[-1] == 4:
        border = border[border[:, 3] >= 0.5]
        arr = arr[arr[:, 3] >= 0.5]
    return arr[:, :3].clamp(0, 1), border[:, :3].clamp(0, 1)


def extract_colours(image: Any, n: int = 5, k: int = 8, max_pixels: int = 16_384, seed: int = 0) -> list[dict]:
    """Up to ``n`` brand colours of a logo, most prominent first: ``[{"hex": "#RRGGBB", "share": 0.42}, ...]``.

    ``share`` is the cluster's fraction of the counted (background-free, grey-discounted) weight. An image that
    is nothing but its background returns ``[]``.
    """
    if not 1 <= n <= 16:
        raise ValueError("n must be from 1 to 16")
    srgb, border = _pixels(image, max_pixels)
    if srgb.shape[0] == 0:
        return []
    lab = linear_to_oklab(srgb_to_linear(srgb))
    keep = torch.ones(lab.shape[0], dtype=torch.bool)
    if border.shape[0]:
        bg = linear_to_oklab(srgb_to_linear(border)).median(0).values
        keep = (lab - bg).norm(dim=-1) >= BACKGROUND_DISTANCE
    srgb, lab = srgb[keep], lab[keep]
    if lab.shape[0] == 0:
        return []
    chroma = lab[:, 1:].norm(dim=-1)
    weight = torch.where(chroma < GREY_CHROMA, GREY_WEIGHT, 1.0).to(lab)
    centres = _kmeans(lab, weight, min(k, lab.shape[0]), seed)
    labels = torch.cdist(lab, centres).argmin(-1)
    clusters = []
    for j in range(centres.shape[0]):
        member = labels == j
        if member.any():
            clusters.append([float(weight[member].sum()), centres[j], member])
    clusters.sort(key=lambda c: -c[0])
    merged: list[list] = []
    for c in clusters:  # greedy: a cluster close to a heavier one joins it
        host = next((m for m in merged if float((m[1] - c[1]).norm()) < MERGE_DISTANCE), None)
        if host is None:
            merged.append(c)
        else:
            host[0] += c[0]
            host[2] = host[2] | c[2]
    total = sum(c[0] for c in merged)
    out = []
    for w, centre, member in merged[:n]:
        idx = member.nonzero()[:, 0]
        best = idx[(lab[idx] - centre).norm(dim=-1).argmin()]
        out.append({"hex": linear_to_hex(srgb_to_linear(srgb[best])[None])[0], "share": round(w / total, 4)})
    return out


def _kmeans(x: torch.Tensor, w: torch.Tensor, k: int, seed: int, iters: int = 25) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    centres = [x[int(torch.multinomial(w, 1, generator=gen))]]
    for _ in range(1, k):  # k-means++: next centre with probability ~ w * squared distance
        d2 = torch.cdist(x, torch.stack(centres)).min(-1).values ** 2
        p = w * d2
        if float(p.sum()) <= 0:
            break
        centres.append(x[int(torch.multinomial(p, 1, generator=gen))])
    c = torch.stack(centres)
    for _ in range(iters):
        labels = torch.cdist(x, c).argmin(-1)
        new = torch.zeros_like(c).index_add_(0, labels, x * w[:, None])
        mass = torch.zeros(c.shape[0], dtype=x.dtype).index_add_(0, labels, w)
        new = torch.where(mass[:, None] > 0, new / mass.clamp_min(1e-12)[:, None], c)
        if torch.allclose(new, c, atol=1e-6):
            break
        c = new
    return c
