"""The pure modules: assignment, statistics (against hand-worked and published values), power, feedback fit."""

import math

import numpy as np
import pytest

from courseplatform.experiments import stats
from courseplatform.experiments.assignment import assign, bucket
from themes.brief_feedback import VariantOutcome, fit_weights

# --- assignment -------------------------------------------------------------------------------------------

def test_assignment_is_stable_and_independent_of_call_order():
    variants = [("A", 0.5), ("B", 0.5)]
    first = [assign(7, f"s:{i}", variants) for i in range(2000)]
    again = [assign(7, f"s:{i}", variants) for i in reversed(range(2000))][::-1]
    assert first == again
    assert assign(7, "u:42", variants) == assign("7", "u:42", variants)  # ids may arrive as strings


@pytest.mark.parametrize("shares", [(0.5, 0.5), (0.2, 0.3, 0.5), (0.9, 0.1)])
def test_split_accuracy_over_100000_visitors(shares):
    variants = [(chr(ord("A") + i), s) for i, s in enumerate(shares)]
    counts = dict.fromkeys((k for k, _s in variants), 0)
    n = 100_000
    for i in range(n):
        counts[assign(11, f"u:{i}", variants)] += 1
    for key, share in variants:
        assert abs(counts[key] / n - share) < 0.01, (key, counts[key] / n, share)


def test_experiments_hash_independently():
    # a visitor's variant in one experiment says nothing about another: agreement ≈ 50 % for 50/50 splits
    variants = [("A", 0.5), ("B", 0.5)]
    same = sum(assign(1, f"s:{i}", variants) == assign(2, f"s:{i}", variants) for i in range(20_000))
    assert abs(same / 20_000 - 0.5) < 0.02
    assert all(0 <= bucket(3, f"k{i}") < 1 for i in range(1000))


def test_assignment_refuses_missing_input():
    with pytest.raises(ValueError):
        assign(1, "", [("A", 1.0)])
    with pytest.raises(ValueError):
        assign(1, "u:1", [])


# --- statistics against hand-worked and published values --------------------------------------------------

def test_two_proportion_ztest_hand_worked():
    # 100/1000 vs 130/1000: pooled p = 0.115, se = sqrt(0.115·0.885·(2/1000)) = 0.0142671,
    # z = 0.03 / 0.0142671 = 2.1027, p = 2(1 − Φ(2.1027)) = 0.0355
    result = stats.two_proportion_ztest(100, 1000, 130, 1000)
    assert result.z == pytest.approx(2.1027, abs=1e-4)
    assert result.p_value == pytest.approx(0.0355, abs=1e-4)
    assert result.difference == pytest.approx(0.03)
    assert stats.two_proportion_ztest(0, 0, 0, 10).p_value == 1.0
    assert stats.two_proportion_ztest(0, 50, 0, 50).p_value == 1.0


def test_wilson_interval_hand_worked_and_newcombe_table():
    # 10/100: centre (0.1 + 1.96²/200)/(1 + 1.96²/100) = 0.11481, half-width 0.05957 → (0.0552, 0.1744)
    low, high = stats.wilson_interval(10, 100)
    assert (round(low, 4), round(high, 4)) == (0.0552, 0.1744)
    # Newcombe (1998a), Table II, 81/263, method 3 (Wilson): 0.2553 to 0.3662
    low, high = stats.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    assert stats.wilson_interval(0, 0) == (0.0, 1.0)
    assert stats.wilson_interval(0, 20)[0] == pytest.approx(0.0, abs=1e-12)


def test_newcombe_difference_interval_matches_the_paper():
    # Newcombe (1998b), Table II, 56/70 − 48/80, method 10: 0.0524 to 0.3339
    low, high = stats.newcombe_interval(48, 80, 56, 70)
    assert (round(low, 4), round(high, 4)) == (0.0524, 0.3339)


def test_sample_size_hand_worked():
    # p1 = 0.10, p2 = 0.12, p̄ = 0.11: (1.95996·sqrt(2·0.11·0.89) + 0.84162·sqrt(0.09 + 0.1056))² / 0.02²
    # = (0.86727 + 0.37222)² / 0.0004 = 3840.9 → 3841
    assert stats.sample_size_per_variant(0.10, 0.02) == 3841
    assert stats.sample_size_per_variant(0.10, 0.05) == 686
    with pytest.raises(ValueError):
        stats.sample_size_per_variant(0.0, 0.01)
    with pytest.raises(ValueError):
        stats.sample_size_per_variant(0.5, 0.6)


def test_verdict_keeps_collecting_until_the_horizon():
    arms = [stats.Arm("A", 300, 10), stats.Arm("B", 300, 60)]  # an enormous interim lift
    early = stats.verdict(arms, planned_per_variant=686)
    assert early.code == "keep_collecting" and early.winner is None
    assert early.comparisons[0].test.p_value < 1e-6  # shown, never acted on
    assert early.progress == pytest.approx(300 / 686)
    done = stats.verdict([stats.Arm("A", 700, 70), stats.Arm("B", 700, 110)], planned_per_variant=686)
    assert done.code == "winner" and done.winner == "B"
    flat = stats.verdict([stats.Arm("A", 700, 70), stats.Arm("B", 700, 72)], planned_per_variant=686)
    assert flat.code == "no_difference"
    worse = stats.verdict([stats.Arm("A", 700, 110), stats.Arm("B", 700, 70)], planned_per_variant=686)
    assert worse.code == "winner" and worse.winner == "A"


def test_bonferroni_for_more_than_two_variants():
    assert stats.comparison_alpha(3) == pytest.approx(0.025)
    result = stats.verdict([stats.Arm("A", 1000, 100)] * 3, planned_per_variant=10)
    assert result.alpha == pytest.approx(0.025)


# --- the documented power, by simulation --------------------------------------------------------------------

def _detections(rng, n, p_a, p_b, runs):
    a = rng.binomial(n, p_a, size=runs)
    b = rng.binomial(n, p_b, size=runs)
    hits = 0
    for x1, x2 in zip(a.tolist(), b.tolist(), strict=True):
        result = stats.verdict([stats.Arm("A", n, x1), stats.Arm("B", n, x2)], planned_per_variant=n)
        hits += result.code == "winner" and result.winner == "B"
    return hits / runs


def test_a_true_lift_is_detected_at_the_documented_power():
    rng = np.random.default_rng(2026)
    baseline, mde = 0.10, 0.05
    n = stats.sample_size_per_variant(baseline, mde)  # 686 per variant for α = 0.05, power = 0.8
    rate = _detections(rng, n, baseline, baseline + mde, runs=4000)
    assert abs(rate - stats.POWER) < 0.03, rate  # 4000 runs: standard error 0.006


def test_no_lift_is_declared_at_most_at_the_false_positive_rate():
    rng = np.random.default_rng(7)
    n = stats.sample_size_per_variant(0.10, 0.05)
    a = rng.binomial(n, 0.10, size=4000)
    b = rng.binomial(n, 0.10, size=4000)
    significant = sum(stats.two_proportion_ztest(int(x1), n, int(x2), n).p_value < stats.ALPHA
                      for x1, x2 in zip(a, b, strict=True))
    assert abs(significant / 4000 - stats.ALPHA) < 0.015


def test_peeking_would_inflate_false_positives_which_the_fixed_horizon_avoids():
    """Ten interim looks with "stop at the first p < 0.05" under no true difference: far above 5 %."""
    rng = np.random.default_rng(3)
    n, runs, looks = 700, 1500, 10
    a = rng.random((runs, n)) < 0.1
    b = rng.random((runs, n)) < 0.1
    peek_hits = fixed_hits = 0
    for i in range(runs):
        checkpoints = [n * (j + 1) // looks for j in range(looks)]
        if any(stats.two_proportion_ztest(int(a[i, :m].sum()), m, int(b[i, :m].sum()), m).p_value < 0.05
               for m in checkpoints):
            peek_hits += 1
        fixed_hits += stats.verdict([stats.Arm("A", n, int(a[i].sum())), stats.Arm("B", n, int(b[i].sum()))],
                                    planned_per_variant=n).code == "winner"
    assert peek_hits / runs > 0.12
    assert fixed_hits / runs < 0.075


# --- the feedback fit -------------------------------------------------------------------------------------

def _synthetic(rng, planted, n_experiments, visitors=200_000, scale=3.0):
    experiments = []
    for _ in range(n_experiments):
        base = rng.normal(-2.5, 0.4)
        variants = []
        for _v in range(rng.integers(2, 4)):
            h, v, b = rng.uniform(0.3, 1.0, size=3)
            logit = base + scale * (planted[0] * h + planted[1] * v + planted[2] * b) / 3
            p = 1 / (1 + math.exp(-logit))
            variants.append(VariantOutcome(h, v, b, visitors, int(rng.binomial(visitors, p))))
        experiments.append(variants)
    return experiments


def test_feedback_fit_recovers_planted_weights():
    rng = np.random.default_rng(5)
    planted = (0.5, 2.0, 0.5)
    fit = fit_weights(_synthetic(rng, planted, 400))
    assert not fit.used_defaults and fit.n_experiments == 400
    assert (fit.alpha, fit.beta, fit.gamma) == pytest.approx(planted, abs=0.15)
    assert fit.alpha + fit.beta + fit.gamma == pytest.approx(3.0, abs=0.02)


def test_feedback_fit_shrinks_toward_the_defaults_with_little_data():
    rng = np.random.default_rng(6)
    planted = (0.5, 2.0, 0.5)
    data = _synthetic(rng, planted, 3)
    shrunk, unshrunk = fit_weights(data), fit_weights(data, prior_experiments=0.0)
    many = fit_weights(_synthetic(rng, planted, 400))
    # with 3 experiments against a prior worth 5 the weights move toward the planted ones, but less far
    assert 1.0 < shrunk.beta < unshrunk.beta
    assert abs(shrunk.beta - 1.0) < abs(many.beta - 1.0)
    assert shrunk.alpha > unshrunk.alpha and shrunk.gamma > unshrunk.gamma
    assert fit_weights([]).used_defaults
    assert (fit_weights([]).alpha, fit_weights([]).beta, fit_weights([]).gamma) == (1.0, 1.0, 1.0)


def test_feedback_fit_keeps_defaults_when_scores_predict_nothing_positive():
    rng = np.random.default_rng(8)
    fit = fit_weights(_synthetic(rng, (-1.0, -1.0, -1.0), 50))
    assert fit.used_defaults and (fit.alpha, fit.beta, fit.gamma) == (1.0, 1.0, 1.0)
