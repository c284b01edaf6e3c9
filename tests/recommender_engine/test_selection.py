"""The platform's default training: selection on a validation split carved from training, then the Blend refit."""

import numpy as np
import scipy.sparse as sp

from recommender.engine import evaluate, make_model
from recommender.engine.dataset import aggregate
from recommender.engine.evaluation import leave_last_out, random_holdout
from recommender.engine.models.blend import Blend
from recommender.engine.selection import (
    fit_default,
    ranking_scores,
    recency_matrix,
    recency_weights,
    select,
    validation_split,
)

from .synthetic import planted_interactions


def _pairs(split):
    return {(int(u), int(i)) for u, i in zip(split.users, split.items, strict=True)}


def test_validation_split_is_carved_from_training_only_and_holds_each_learners_latest_item():
    data = planted_interactions(seed=3)
    outer = leave_last_out(data)
    inner = validation_split(outer.train, "leave-last-out")
    assert not _pairs(inner.test) & _pairs(outer.test)
    assert _pairs(inner.train) | _pairs(inner.test) == _pairs(outer.train)
    t = outer.train
    for u in range(0, t.n_users, 37):
        mine = t.timestamps[t.users == u]
        held = inner.test.timestamps[inner.test.users == u]
        assert held.size == 1 and held[0] == mine.max()


def test_recency_weights_count_distinct_timestamps_back_from_each_learners_latest():
    data = aggregate(["a", "a", "a", "a", "b", "b"], ["x", "y", "z", "w", "x", "y"], np.ones(6),
                     np.array([10.0, 20.0, 20.0, 30.0, 5.0, 7.0]))
    w = recency_weights(data, half_life=1.0)
    by_pair = {(data.user_ids[u], data.item_ids[i]): float(v) for u, i, v in zip(data.users, data.items, w,
                                                                                 strict=True)}
    assert by_pair == {("a", "w"): 1.0, ("a", "y"): 0.5, ("a", "z"): 0.5, ("a", "x"): 0.25,
                       ("b", "y"): 1.0, ("b", "x"): 0.5}
    assert np.all(recency_weights(data, 0.0) == 1.0)
    assert recency_matrix(data, 1.0).nnz == len(data)


def test_ranking_scores_match_the_reference_metrics():
    rng = np.random.default_rng(0)
    scores = rng.random((30, 50)).astype(np.float32)
    truth = sp.csr_matrix((rng.random((30, 50)) < 0.1).astype(np.float32))
    truth[0, 0] = 1.0
    ndcg, recall = ranking_scores(scores, truth)
    from recommender.engine.metrics import ndcg_at_k, recall_at_k

    for r in range(30):
        ranked = np.argsort(-scores[r]).tolist()
        rel = set(truth[r].indices.tolist())
        assert np.isclose(ndcg[r], ndcg_at_k(ranked, rel, 10)) and np.isclose(recall[r], recall_at_k(ranked, rel, 20))


def test_selection_prefers_recency_when_learners_follow_sequences():
    """Planted: every learner walks a chain of items in order, so the next item follows the latest one."""
    rng = np.random.default_rng(1)
    users, items, ts = [], [], []
    for u in range(300):
        chain = rng.integers(0, 6)
        start = rng.integers(0, 8)
        for step in range(8):
            users.append(f"u{u}")
            items.append(f"c{chain}-{(start + step) % 16}")
            ts.append(1000.0 * step)
    data = aggregate(users, items, np.ones(len(users)), np.asarray(ts))
    outer = leave_last_out(data)
    model, sel = fit_default(outer.train)
    assert sel.params["recency_half_life"] > 0 and sel.n_validation > 0 and sel.trials
    ours = evaluate(model, outer.train.to_csr(), outer.test, ks=(10,)).metrics["ndcg@10"]
    ease = make_model("ease", l2=sel.params["l2"]).fit(outer.train.to_csr())
    assert ours > evaluate(ease, outer.train.to_csr(), outer.test, ks=(10,)).metrics["ndcg@10"] + 0.1


def test_selection_on_a_random_protocol_leaves_recency_off_when_order_carries_nothing():
    data = planted_interactions(seed=5)
    outer = random_holdout(data, 0.2, seed=0)
    sel = select(outer.train, protocol="random")
    assert sel.params["recency_half_life"] == 0.0 and sel.protocol == "random"
    assert sel.validation["ndcg@10"] == max(t["ndcg@10"] for t in sel.trials)


def test_side_information_is_tried_and_kept_only_when_it_helps_validation():
    data = planted_interactions(seed=2)
    outer = random_holdout(data, 0.2, seed=0)
    n = outer.train.n_items
    cluster = np.asarray([int(k[1:]) // 16 for k in outer.train.item_ids])
    features = sp.csr_matrix((np.ones(n), (np.arange(n), cluster)), shape=(n, 6))
    sel = select(outer.train, features, protocol="random")
    side_trials = [t for t in sel.trials if t["step"] == "side"]
    assert side_trials
    best_without = max(t["ndcg@10"] for t in sel.trials if t["step"] != "side")
    assert (sel.params["side_weight"] > 0) == (max(t["ndcg@10"] for t in side_trials) > best_without)
    # line search: every side step but the last gained on the one before it
    scores = [best_without] + [t["ndcg@10"] for t in side_trials]
    assert all(b > a for a, b in zip(scores[:-2], scores[1:-1], strict=True))
    model, _ = fit_default(outer.train, features, protocol="random", selection=sel)
    assert isinstance(model, Blend) and model.fit_seconds > 0


def test_blend_scores_are_the_sum_of_history_contributions(tmp_path):
    data = planted_interactions(seed=4)
    m = recency_matrix(data, 3.0)
    model = Blend(l2=10.0, knn_weight=0.5, neighbours=20).fit(m)
    scores = model.score_users([0], filter_seen=False)[0]
    for item in (1, 7, 50):
        assert np.isclose(model.contributions(m[0], item).sum(), scores[item], atol=1e-4)
    model.save(tmp_path / "b")
    from recommender.engine import Recommender

    loaded = Recommender.load(tmp_path / "b")
    assert loaded.recommend(0, 10) == model.recommend(0, 10)
