"""The feedback loop: how much did harmony (H), legibility (V) and brand fit (B) predict conversion?
(pure: numpy only, no Django)

The palette engine maximises U = αH + βV + γB with α = β = γ = 1 by default. Every finished experiment is a
small natural test of that objective: its variants are palettes of one storefront with different H, V, B
scores, shown to comparable visitors. :func:`fit_weights` turns those experiments into new defaults.

Model (a fixed-effects logistic-linear model, fitted by weighted least squares on empirical logits):

    logit(enrol rate of variant v in experiment e) = a_e + w_H·H_v + w_V·V_v + w_B·B_v + noise

* ``a_e`` absorbs everything that differs between storefronts (audience, prices, category), so only
  *within-experiment* differences inform ``w``. It is removed by centring y and the scores on each
  experiment's weighted mean.
* y is the empirical logit log((x + ½)/(n − x + ½)) (Haldane–Anscombe correction), weighted by the inverse
  of its approximate variance, (x + ½)(n − x + ½)/(n + 1) (Cox & Snell 1989, *Analysis of Binary Data*, §3.2).
* **Shrinkage.** Ridge regression toward the engine's defaults: the penalty is λ‖w − m·(1, 1, 1)‖², where m
  is the slope of the equal-weights model (y on H + V + B), so with no evidence the weights stay in the
  proportions 1 : 1 : 1. λ = ``prior_experiments`` × (average information one experiment carries,
  tr(XᵀWX) / (3 · n_experiments)): the defaults count as ``prior_experiments`` experiments' worth of data,
  so a handful of experiments moves them a little and hundreds move them almost all the way
  (Hoerl & Kennard 1970, Technometrics 12(1); the "prior as pseudo-data" reading: Gelman et al.,
  *Bayesian Data Analysis*, 3rd ed., §14.8).
* The fitted ``w`` is rescaled so that α + β + γ = 3 (the defaults' sum, keeping the sliders' scale) and
  clipped to the sliders' range [0, 3]. When the fitted total is not positive (palette scores did not predict
  conversion at all) the defaults are kept.
"""

from dataclasses import dataclass

import numpy as np

#: The engine's default weights (``themes.palette.brief.DEFAULT_ALPHA``, ``DEFAULT_BETA``, ``DEFAULT_GAMMA``),
#: restated here because the web tier must not import the engine (torch); tests/palette/test_default_weights.py
#: pins the two equal, and the studio's form and ``selectors.default_weights`` read them from here.
DEFAULTS = (1.0, 1.0, 1.0)
PRIOR_EXPERIMENTS = 5.0
MAX_WEIGHT = 3.0


@dataclass(frozen=True)
class VariantOutcome:
    h: float
    v: float
    b: float
    visitors: int
    conversions: int


@dataclass(frozen=True)
class Fit:
    alpha: float
    beta: float
    gamma: float
    n_experiments: int
    raw: tuple[float, float, float]  # the unscaled coefficients on the logit scale
    used_defaults: bool


def fit_weights(experiments: list[list[VariantOutcome]], prior_experiments: float = PRIOR_EXPERIMENTS) -> Fit:
    """Fit α, β, γ from experiments (each a list of its variants' scores and outcomes); see the module doc."""
    xs, ys, ws = [], [], []
    n_used = 0
    for variants in experiments:
        variants = [v for v in variants if v.visitors > 0]
        if len(variants) < 2:
            continue
        x = np.array([[v.h, v.v, v.b] for v in variants], dtype=float)
        k = np.array([v.conversions for v in variants], dtype=float)
        n = np.array([v.visitors for v in variants], dtype=float)
        y = np.log((k + 0.5) / (n - k + 0.5))
        w = (k + 0.5) * (n - k + 0.5) / (n + 1.0)
        xs.append(x - np.average(x, axis=0, weights=w))
        ys.append(y - np.average(y, weights=w))
        ws.append(w)
        n_used += 1
    if n_used == 0:
        return Fit(*DEFAULTS, n_experiments=0, raw=(0.0, 0.0, 0.0), used_defaults=True)
    x, y, w = np.vstack(xs), np.concatenate(ys), np.concatenate(ws)
    xtw = x.T * w
    gram, moment = xtw @ x, xtw @ y
    total = x.sum(axis=1)
    denominator = float((total * w) @ total)
    m = float((total * w) @ y) / denominator if denominator > 0 else 0.0
    lam = prior_experiments * float(np.trace(gram)) / (3.0 * n_used)
    coef = np.linalg.solve(gram + lam * np.eye(3), moment + lam * m * np.ones(3))
    if not np.all(np.isfinite(coef)) or coef.sum() <= 0:
        return Fit(*DEFAULTS, n_experiments=n_used, raw=tuple(float(c) for c in coef), used_defaults=True)
    scaled = np.clip(3.0 * coef / coef.sum(), 0.0, MAX_WEIGHT)
    alpha, beta, gamma = (round(float(c), 2) for c in scaled)
    return Fit(alpha, beta, gamma, n_experiments=n_used, raw=tuple(float(c) for c in coef), used_defaults=False)
