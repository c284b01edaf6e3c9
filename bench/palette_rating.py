"""Independent checker for bench/palette.py: a predictor of people's ratings of colour themes.

EVALUATION ONLY. Fitted at bench time on the O'Donovan, Agarwala & Hertzmann (2011) MTurk ratings ("Color
Compatibility From Large Datasets", ACM TOG 30(4)) found in ``../shared/data/odonovan-color-compat/`` (CC BY-NC-SA:
non-commercial, internal offline evaluation only). Nothing here is imported by the engine (``themes/palette``) and
no fitted model is written into the repository; the engine never sees these ratings.

The features follow the paper's recipe in a reduced form, the model is a small multilayer perceptron (the paper
used LASSO; the MLP predicts held-out ratings better) over features of the five colours of a theme in four colour spaces (sRGB, CIELAB, HSV and the paper's CHSV, where
hue and saturation become a Cartesian pair): the colours themselves, differences between adjacent colours, those
differences sorted, and per-channel mean, standard deviation, median, minimum, maximum and range. The hue-
probability and plane-fit features of the paper are left out. The held-out mean absolute error is printed by
``python bench/palette_rating.py`` and by the bench.

A palette of more than five role colours is rated as the mean over every five-colour subset kept in role order
(background, surface, text, primary, secondary, accent, ...), so every role, text included, counts.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "odonovan-color-compat" / "mturkData.mat"


def _srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = lin @ m.T / np.array([0.95047, 1.0, 1.08883])
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.stack((116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])), -1)


def _srgb_to_hsv(rgb: np.ndarray) -> np.ndarray:
    mx, mn = rgb.max(-1), rgb.min(-1)
    d = mx - mn
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    safe = np.where(d == 0, 1, d)
    h = np.where(mx == r, ((g - b) / safe) % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4)) / 6.0
    h = np.where(d == 0, 0.0, h)
    s = np.where(mx == 0, 0.0, d / np.where(mx == 0, 1, mx))
    return np.stack((h, s, mx), -1)


def features(themes: np.ndarray) -> np.ndarray:
    """(N, 5, 3) sRGB in [0, 1] -> (N, F) features."""
    lab = _srgb_to_lab(themes) / np.array([100.0, 128.0, 128.0])
    hsv = _srgb_to_hsv(themes)
    ang = 2 * np.pi * hsv[..., 0]
    chsv = np.stack((hsv[..., 1] * np.cos(ang), hsv[..., 1] * np.sin(ang), hsv[..., 2]), -1)
    out = []
    for space in (themes, lab, hsv, chsv):
        diffs = np.diff(space, axis=1)
        out += [
            space.reshape(len(space), -1),
            diffs.reshape(len(space), -1),
            np.sort(np.abs(diffs), axis=1).reshape(len(space), -1),
            space.mean(1), space.std(1), np.median(space, 1), space.min(1), space.max(1),
            space.max(1) - space.min(1),
        ]
    return np.concatenate(out, 1)


@dataclass
class RatingModel:
    mean: np.ndarray
    scale: np.ndarray
    net: object
    holdout_mae: float
    holdout_n: int

    def predict_themes(self, themes: np.ndarray) -> np.ndarray:
        """(N, 5, 3) sRGB -> predicted mean rating (1-5); a theme and its reverse order are averaged."""
        import torch

        both = np.concatenate((themes, themes[:, ::-1]))
        x = torch.tensor((features(both) - self.mean) / self.scale, dtype=torch.float32)
        with torch.no_grad():
            p = self.net(x).squeeze(-1).double().numpy() + 3.0
        return np.clip((p[: len(themes)] + p[len(themes) :]) / 2, 1.0, 5.0)

    def rate(self, hexes: list[str]) -> float:
        """Predicted 1-5 rating of a palette given as role-ordered ``#rrggbb`` colours (5 or more)."""
        rgb = np.array([[int(h[i : i + 2], 16) / 255 for i in (1, 3, 5)] for h in hexes])
        subsets = list(itertools.combinations(range(len(hexes)), 5)) if len(hexes) > 5 else [tuple(range(5))]
        return float(self.predict_themes(rgb[np.array(subsets)]).mean())


def fit(data_path: Path = DATA, epochs: int = 10, seed: int = 0) -> RatingModel:
    """Fit a small MLP (two hidden layers, L1 loss, AdamW) on 80 % of the MTurk themes, both orders of each
    theme; report the mean absolute error on the other 20 %. Deterministic for a seed; about 2 s on one core."""
    import torch
    from scipy.io import loadmat

    mat = loadmat(str(data_path))
    themes, y = mat["data"].astype(np.float64), mat["targets"].ravel().astype(np.float64)
    order = np.random.default_rng(seed).permutation(len(y))
    cut = int(0.8 * len(y))
    train, test = order[:cut], order[cut:]
    x = features(themes)
    mu, sd = x[train].mean(0), x[train].std(0) + 1e-9
    xs = np.concatenate(((x[train] - mu) / sd, (features(themes[train][:, ::-1].copy()) - mu) / sd))
    xt = torch.tensor(xs, dtype=torch.float32)
    yt = torch.tensor(np.concatenate((y[train], y[train])), dtype=torch.float32)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        gen = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        net = torch.nn.Sequential(
            torch.nn.Linear(xt.shape[1], 128), torch.nn.GELU(), torch.nn.Dropout(0.2),
            torch.nn.Linear(128, 64), torch.nn.GELU(), torch.nn.Linear(64, 1),
        )
        opt = torch.optim.AdamW(net.parameters(), 1e-3, weight_decay=1e-2)
        for _ in range(epochs):
            net.train()
            perm = torch.randperm(len(xt), generator=gen)
            for i in range(0, len(xt), 256):
                batch = perm[i : i + 256]
                loss = torch.nn.functional.l1_loss(net(xt[batch]).squeeze(-1) + 3.0, yt[batch])
                opt.zero_grad()
                loss.backward()
                opt.step()
        net.eval()
    finally:
        torch.set_num_threads(threads)
    model = RatingModel(mu, sd, net, 0.0, len(test))
    model.holdout_mae = float(np.abs(model.predict_themes(themes[test]) - y[test]).mean())
    return model


if __name__ == "__main__":
    model = fit()
    print(f"held-out MAE {model.holdout_mae:.3f} on {model.holdout_n} themes", file=sys.stdout)
