import datetime as dt

import numpy as np
import pytest

from recommender.engine import DEFAULT_EVENT_WEIGHTS, build_dataset, build_interactions

T0 = 1_700_000_000.0
DAY = 86400.0


def test_event_weights_sum_per_pair_and_impressions_alone_are_not_positive():
    ds = build_dataset([
        ("alice", "c1", "click", T0, None),
        ("alice", "c1", "enroll", T0 + 1, None),
        ("alice", "c2", "impression", T0, None),
        ("bob", "c2", "complete", T0, None),
    ])
    a, c1 = ds.user_index("alice"), ds.item_index("c1")
    assert ds.matrix[a, c1] == pytest.approx(DEFAULT_EVENT_WEIGHTS["click"] + DEFAULT_EVENT_WEIGHTS["enroll"])
    assert ds.matrix[a, ds.item_index("c2")] == 0.0  # impression only -> dropped
    assert ds.matrix[ds.user_index("bob"), ds.item_index("c2")] == pytest.approx(8.0)
    assert ds.nnz == 2


def test_rating_weight_scales_with_stars_and_low_ratings_are_dropped():
    ds = build_dataset([("u", "good", "rate", T0, 5), ("u", "meh", "rate", T0, 3), ("u", "bad", "rate", T0, 2)])
    u = ds.user_index("u")
    assert ds.matrix[u, ds.item_index("good")] == pytest.approx(2.0 * 2.5)
    assert ds.matrix[u, ds.item_index("meh")] == pytest.approx(2.0 * 0.5)
    assert ds.matrix[u, ds.item_index("bad")] == 0.0


def test_custom_weights_override_defaults_and_unknown_events_are_rejected():
    ds = build_dataset([("u", "c", "click", T0, None)], weights={"click": 4.0})
    assert ds.matrix[0, 0] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="unknown event type"):
        build_dataset([("u", "c", "purchase", T0, None)])


def test_half_life_decay_halves_weight_per_half_life_from_newest_event():
    ds = build_dataset(
        [("u", "old", "enroll", T0, None), ("u", "new", "enroll", T0 + 2 * DAY, None)], half_life_days=2.0
    )
    assert ds.matrix[0, ds.item_index("old")] == pytest.approx(2.5)
    assert ds.matrix[0, ds.item_index("new")] == pytest.approx(5.0)


def test_id_maps_are_first_seen_order_and_accept_datetimes():
    when = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    inter = build_interactions([("b", "x", "view", when, None), ("a", "y", "view", when, None)])
    assert inter.user_ids == ["b", "a"] and inter.item_ids == ["x", "y"]
    assert inter.user_index("a") == 1 and inter.item_index("zzz") is None
    assert inter.timestamps[0] == pytest.approx(when.timestamp())
    csr = inter.to_csr()
    assert csr.shape == (2, 2) and csr.dtype == np.float32
