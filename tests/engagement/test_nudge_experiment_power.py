"""The nudge experiment's design, simulated through the framework itself: learners are split by the framework's
``assignment.assign`` (hash of experiment id and ``u:<id>``), the first planned learners of each arm are analysed
(the fixed horizon, as ``selectors.analysed_counts`` does) and ``stats.verdict`` decides, at the sample size
``stats.sample_size_per_variant`` plans. A planted lift of the planned size must be found at least as often as the
planned power, and with no lift a "winner" must appear no more often than α (both within Monte-Carlo error)."""

import math

import numpy as np

from courseplatform.engagement.nudges import NONE, REMINDER
from courseplatform.experiments import stats
from courseplatform.experiments.assignment import assign

#: resumption rate of stalled learners without a reminder, and the lift the experiment is planned to detect
BASELINE, MDE = 0.30, 0.08
RUNS = 1000
#: the variants as the framework orders them: key A (control, "none") then B ("reminder"), 50/50
VARIANTS = [("A", 0.5), ("B", 0.5)]
ARMS = {"A": NONE, "B": REMINDER}


def simulate(lift: float, seed: int) -> tuple[float, float, int]:
    """(share of runs whose verdict is "reminder wins", share with any winner, planned n) over RUNS experiments."""
    planned = stats.sample_size_per_variant(BASELINE, MDE)
    rng = np.random.default_rng(seed)
    population = int(planned * 2.3)  # enough learners for both arms to reach the horizon in practice
    reminder_wins = any_winner = 0
    for run in range(RUNS):
        experiment_id = 10_000 + seed * RUNS + run
        in_reminder = np.fromiter((ARMS[assign(experiment_id, f"u:{i}", VARIANTS)] == REMINDER
                                   for i in range(population)), dtype=bool, count=population)
        rates = np.where(in_reminder, BASELINE + lift, BASELINE)
        resumed = rng.random(population) < rates  # each learner's outcome, by their own arm
        # the fixed horizon: each arm's first `planned` learners (in arrival order) are analysed
        control = np.flatnonzero(~in_reminder)[:planned]
        treated = np.flatnonzero(in_reminder)[:planned]
        assert len(control) == len(treated) == planned
        verdict = stats.verdict([stats.Arm("A", planned, int(resumed[control].sum())),
                                 stats.Arm("B", planned, int(resumed[treated].sum()))], planned)
        assert verdict.code in ("winner", "no_difference")
        reminder_wins += verdict.winner == "B"
        any_winner += verdict.code == "winner"
    return reminder_wins / RUNS, any_winner / RUNS, planned


def mc_error(p: float) -> float:
    return 3 * math.sqrt(p * (1 - p) / RUNS)  # three standard errors of a proportion over RUNS runs


def test_planted_lift_is_found_at_the_planned_power():
    power, _any, planned = simulate(MDE, seed=1)
    print(f"planned n per arm={planned}; detection rate={power:.3f} (planned power {stats.POWER})")
    assert power >= stats.POWER - mc_error(stats.POWER)
    assert power <= stats.POWER + mc_error(stats.POWER) + 0.02  # the plan is not wildly conservative either


def test_no_lift_reports_no_winner_at_the_stated_false_positive_rate():
    _wins, false_positive, planned = simulate(0.0, seed=2)
    print(f"planned n per arm={planned}; false-positive rate={false_positive:.3f} (alpha {stats.ALPHA})")
    assert false_positive <= stats.ALPHA + mc_error(stats.ALPHA)
