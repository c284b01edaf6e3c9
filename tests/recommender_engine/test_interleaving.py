"""Team-draft interleaving: construction invariants and a simulation that detects a planted better ranker."""

import numpy as np
from scipy.stats import binomtest

from recommender.engine.interleaving import A, B, Interleaved, summarise, team_draft


def test_team_draft_alternates_fairly_and_never_repeats_an_item():
    rng = np.random.default_rng(0)
    firsts = {A: 0, B: 0}
    for _ in range(400):
        out = team_draft([1, 2, 3, 4, 5, 6], [3, 1, 7, 8, 2, 9], 6, rng)
        assert len(out.items) == len(set(out.items)) == 6
        assert abs(out.teams.count(A) - out.teams.count(B)) <= 1  # each round gives one pick to each team
        firsts[out.teams[0]] += 1
        # every team's items appear in that ranker's own order
        for team, ranking in ((A, [1, 2, 3, 4, 5, 6]), (B, [3, 1, 7, 8, 2, 9])):
            mine = [i for i, t in zip(out.items, out.teams, strict=True) if t == team]
            assert mine == sorted(mine, key=ranking.index)
    assert 150 < firsts[A] < 250  # the coin is fair


def test_identical_rankings_give_the_same_list_and_outcomes_split_by_position():
    out = team_draft(list(range(10)), list(range(10)), 10, np.random.default_rng(1))
    assert out.items == list(range(10))
    assert out.credit([0, 1, 99]) == {A: 1, B: 1}


def test_short_rankings_stop_when_both_run_out():
    out = team_draft([1, 2], [2], 10, np.random.default_rng(2))
    assert sorted(out.items) == [1, 2]
    assert Interleaved([1, 2], [A, B]).winner([]) is None


def test_sign_test_matches_scipy():
    out = summarise([A] * 60 + [B] * 40 + [None] * 30)
    assert (out.wins_a, out.wins_b, out.ties, out.impressions) == (60, 40, 30, 130)
    assert np.isclose(out.p_value, binomtest(60, 100, 0.5).pvalue) and np.isclose(out.preference, 0.2)


def _simulate(better_noise: float, worse_noise: float, learners: int, seed: int):
    """Learners enrol with probability relevance x position bias; ranker A sees relevance through less noise."""
    rng = np.random.default_rng(seed)
    n_items = 200
    winners = []
    for _ in range(learners):
        relevance = rng.beta(0.3, 3.0, n_items)  # a few courses matter a lot to each learner
        a = np.argsort(-(relevance + rng.normal(0, better_noise, n_items)))[:10].tolist()
        b = np.argsort(-(relevance + rng.normal(0, worse_noise, n_items)))[:10].tolist()
        shown = team_draft(a, b, 10, rng)
        bias = 1.0 / np.log2(np.arange(2, len(shown.items) + 2))
        enrolled = [item for item, w in zip(shown.items, bias, strict=True) if rng.random() < relevance[item] * w]
        winners.append(shown.winner(enrolled))
    return summarise(winners)


def test_simulated_interleaving_detects_a_planted_better_model():
    out = _simulate(better_noise=0.05, worse_noise=0.25, learners=800, seed=3)
    assert out.wins_a > out.wins_b and out.p_value < 0.001, out


def test_simulated_interleaving_of_a_model_with_itself_finds_no_difference():
    out = _simulate(better_noise=0.1, worse_noise=0.1, learners=800, seed=4)
    assert out.p_value > 0.05 and abs(out.preference) < 0.15, out
