"""Statistics for two-variant conversion experiments (pure: standard library only, no Django).

Design: **fixed horizon**. Before an experiment starts, :func:`sample_size_per_variant` gives the number
of visitors each variant needs to detect an absolute lift of ``mde`` over the baseline conversion rate with
two-sided significance level α = 0.05 and power 0.8. The verdict (:func:`verdict`) stays "keep collecting"
until *every* variant has reached that planned sample, however promising or bad the interim numbers look:
testing repeatedly and stopping at the first p < 0.05 ("peeking") inflates the false-positive rate far above
α (Armitage, McPherson & Rowe 1969, "Repeated significance tests on accumulating data", J. R. Stat. Soc. A
132(2); Johari et al. 2017, "Peeking at A/B tests", KDD). Once the horizon is reached, one two-sided
two-proportion z-test decides. With more than two variants each is compared with the control (variant A)
at α divided by the number of comparisons (Bonferroni), and the sample size is planned at that α.

Sources for the formulas are cited in each function's docstring.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

ALPHA = 0.05
POWER = 0.8
_NORMAL = NormalDist()


def z_quantile(p: float) -> float:
    """The standard normal quantile Φ⁻¹(p)."""
    return _NORMAL.inv_cdf(p)


def normal_sf(z: float) -> float:
    """The standard normal upper tail 1 − Φ(z), computed with ``erfc`` so small tails keep their precision."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


@dataclass(frozen=True)
class ZTest:
    z: float
    p_value: float
    difference: float  # p2 − p1


def two_proportion_ztest(x1: int, n1: int, x2: int, n2: int) -> ZTest:
    """Two-sided pooled two-proportion z-test of H0: p1 = p2.

    z = (p̂2 − p̂1) / sqrt(p̂(1 − p̂)(1/n1 + 1/n2)) with the pooled p̂ = (x1 + x2)/(n1 + n2); p = 2(1 − Φ(|z|)).
    Source: Fleiss, Levin & Paik (2003), *Statistical Methods for Rates and Proportions*, 3rd ed., §2.6 and
    eq. 2.17 (the uncorrected form); NIST/SEMATECH e-Handbook of Statistical Methods, §7.3.3.
    With no visitors or a pooled rate of 0 or 1 there is no evidence either way: z = 0, p = 1.
    """
    _check(x1, n1)
    _check(x2, n2)
    if n1 == 0 or n2 == 0:
        return ZTest(0.0, 1.0, 0.0)
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return ZTest(0.0, 1.0, p2 - p1)
    z = (p2 - p1) / se
    return ZTest(z, min(1.0, 2 * normal_sf(abs(z))), p2 - p1)


def wilson_interval(x: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion.

    (p̂ + z²/2n ± z·sqrt(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Source: Wilson (1927), "Probable inference, the
    law of succession, and statistical inference", JASA 22(158):209–212; recommended over the Wald interval
    by Newcombe (1998a), Statistics in Medicine 17:857–872 (method 3) and Brown, Cai & DasGupta (2001),
    Statistical Science 16(2). With n = 0 the interval is the whole of [0, 1].
    """
    _check(x, n)
    if n == 0:
        return 0.0, 1.0
    z = z_quantile(1 - (1 - confidence) / 2)
    p = x / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_interval(x1: int, n1: int, x2: int, n2: int, confidence: float = 0.95) -> tuple[float, float]:
    """Confidence interval for the difference p2 − p1 from the two Wilson intervals (Newcombe's hybrid score).

    With Wilson limits (l1, u1), (l2, u2): δ = p̂2 − p̂1, lower = δ − sqrt((p̂2 − l2)² + (u1 − p̂1)²),
    upper = δ + sqrt((u2 − p̂2)² + (p̂1 − l1)²). Source: Newcombe (1998b), "Interval estimation for the
    difference between independent proportions: comparison of eleven methods", Statistics in Medicine
    17:873–890, method 10.
    """
    l1, u1 = wilson_interval(x1, n1, confidence)
    l2, u2 = wilson_interval(x2, n2, confidence)
    p1 = x1 / n1 if n1 else 0.0
    p2 = x2 / n2 if n2 else 0.0
    delta = p2 - p1
    lower = delta - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    upper = delta + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return max(-1.0, lower), min(1.0, upper)


def sample_size_per_variant(baseline: float, mde: float, alpha: float = ALPHA, power: float = POWER) -> int:
    """Visitors per variant to detect an absolute lift ``mde`` over ``baseline`` (two-sided test).

    n = (z_{1−α/2}·sqrt(2 p̄ q̄) + z_{1−β}·sqrt(p1 q1 + p2 q2))² / (p2 − p1)², with p1 = baseline,
    p2 = baseline + mde, p̄ = (p1 + p2)/2, q = 1 − p, rounded up. Source: Fleiss, Levin & Paik (2003), eq. 4.14
    (without the continuity correction, which matches the uncorrected z-test used here).
    """
    if not 0 < baseline < 1:
        raise ValueError("the baseline rate must lie strictly between 0 and 1")
    p2 = baseline + mde
    if mde <= 0 or p2 >= 1:
        raise ValueError("the minimum detectable effect must be positive and keep the rate below 1")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must lie between 0 and 1")
    p_bar = (baseline + p2) / 2
    z_a, z_b = z_quantile(1 - alpha / 2), z_quantile(power)
    root = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(baseline * (1 - baseline) + p2 * (1 - p2))
    return math.ceil(root * root / (mde * mde))


def comparison_alpha(n_variants: int, alpha: float = ALPHA) -> float:
    """Bonferroni: each of the ``n_variants − 1`` comparisons with the control is tested at α/(k − 1)."""
    return alpha / max(1, n_variants - 1)


@dataclass(frozen=True)
class Arm:
    key: str
    visitors: int
    conversions: int

    @property
    def rate(self) -> float:
        return self.conversions / self.visitors if self.visitors else 0.0


@dataclass(frozen=True)
class Comparison:
    key: str  # the variant compared with the control
    test: ZTest
    interval: tuple[float, float]  # Newcombe interval for (variant − control)
    significant: bool


@dataclass(frozen=True)
class Verdict:
    """``code`` is one of ``keep_collecting``, ``winner``, ``no_difference``; the web tier words it."""

    code: str
    winner: str | None
    control: str
    comparisons: tuple[Comparison, ...]
    alpha: float
    planned_per_variant: int
    smallest_sample: int

    @property
    def progress(self) -> float:
        return min(1.0, self.smallest_sample / self.planned_per_variant) if self.planned_per_variant else 1.0


def verdict(arms: list[Arm], planned_per_variant: int, alpha: float = ALPHA) -> Verdict:
    """The fixed-horizon decision for ``arms`` (the first is the control).

    * ``keep_collecting`` until every arm has ``planned_per_variant`` visitors (no peeking: interim p-values
      are shown but never acted on);
    * then ``winner`` when the best arm differs significantly from the control at the Bonferroni α (the
      winner is that arm, or the control when every significant comparison went against the challengers);
    * else ``no_difference``: the palettes convert alike within the planned sensitivity.
    """
    if len(arms) < 2:
        raise ValueError("a verdict needs at least two arms")
    control, alpha_each = arms[0], comparison_alpha(len(arms), alpha)
    comparisons = []
    for arm in arms[1:]:
        test = two_proportion_ztest(control.conversions, control.visitors, arm.conversions, arm.visitors)
        interval = newcombe_interval(control.conversions, control.visitors, arm.conversions, arm.visitors,
                                     confidence=1 - alpha_each)
        comparisons.append(Comparison(arm.key, test, interval, test.p_value < alpha_each))
    smallest = min(a.visitors for a in arms)
    common = dict(control=control.key, comparisons=tuple(comparisons), alpha=alpha_each,
                  planned_per_variant=planned_per_variant, smallest_sample=smallest)
    if smallest < planned_per_variant:
        return Verdict(code="keep_collecting", winner=None, **common)
    better = [c for c in comparisons if c.significant and c.test.difference > 0]
    if better:
        best = max(better, key=lambda c: c.test.difference)
        return Verdict(code="winner", winner=best.key, **common)
    if comparisons and all(c.significant and c.test.difference < 0 for c in comparisons):
        return Verdict(code="winner", winner=control.key, **common)
    return Verdict(code="no_difference", winner=None, **common)


def _check(x: int, n: int) -> None:
    if n < 0 or x < 0 or x > n:
        raise ValueError(f"invalid counts: {x} successes of {n}")
