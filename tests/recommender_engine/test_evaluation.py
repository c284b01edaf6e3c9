import numpy as np
import pytest

from recommender.engine import evaluate, make_model
from recommender.engine.dataset import aggregate
from recommender.engine.evaluation import leave_last_out, random_holdout


def _data():
    # u1: items a(ts 30) b(ts 10) c(ts 20) -> latest is a, though listed first; u2 has one item only
    return aggregate(
        ["u1", "u1", "u1", "u2"], ["a", "b", "c", "d"], np.ones(4), np.array([30.0, 10.0, 20.0, 5.0])
    )


def test_leave_last_out_holds_out_latest_item_by_timestamp():
    data = _data()
    split = leave_last_out(data)
    test_pairs = {(data.user_ids[u], data.item_ids[i]) for u, i in zip(split.test.users, split.test.items, strict=True)}
    assert test_pairs == {("u1", "a")}
    assert len(split.train) == 3  # u1's b, c and u2's only item stay in training


def test_random_holdout_is_seeded_disjoint_and_about_twenty_percent_per_user():
    users = [f"u{u}" for u in range(20) for _ in range(10)]
    items = [f"i{i}" for _ in range(20) for i in range(10)]
    data = aggregate(users, items, np.ones(200), np.zeros(200))
    a, b = random_holdout(data, 0.2, seed=1), random_holdout(data, 0.2, seed=1)
    c = random_holdout(data, 0.2, seed=2)
    assert np.array_equal(a.test.items, b.test.items) and np.array_equal(a.test.users, b.test.users)
    assert not (np.array_equal(a.test.items, c.test.items) and np.array_equal(a.test.users, c.test.users))
    assert np.bincount(a.test.users).tolist() == [2] * 20
    train_pairs = set(zip(a.train.users.tolist(), a.train.items.tolist(), strict=True))
    test_pairs = set(zip(a.test.users.tolist(), a.test.items.tolist(), strict=True))
    assert not train_pairs & test_pairs and len(train_pairs | test_pairs) == 200


def test_evaluate_never_recommends_training_items_and_reports_all_metrics():
    users = [f"u{u}" for u in range(30) for _ in range(6)]
    items = [f"i{(u + i) % 15}" for u in range(30) for i in range(6)]
    data = aggregate(users, items, np.ones(len(users)), np.arange(len(users), dtype=float))
    split = leave_last_out(data)
    model = make_model("pop").fit(split.train.to_csr())
    res = evaluate(model, split.train, split.test, ks=(5,), keep_recommendations=True)
    assert res.n_users == 30
    assert {"ndcg@5", "recall@5", "precision@5", "map@5", "auc", "coverage@5"} <= set(res.metrics)
    train = split.train.to_csr()
    for u, ranked in res.recommendations.items():
        assert not set(ranked) & set(train[u].indices.tolist())
        assert len(ranked) == 5
    assert 0.0 <= res.metrics["auc"] <= 1.0


def test_unknown_protocol_is_rejected():
    from recommender.engine.evaluation import make_split

    with pytest.raises(ValueError, match="unknown protocol"):
        make_split(_data(), "kfold")
