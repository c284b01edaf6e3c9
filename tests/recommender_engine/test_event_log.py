"""The columnar event log (what training streams the interaction log into) aggregates exactly like event tuples."""

import datetime as dt
import random

import numpy as np
import pytest

from recommender.engine import EventLogBuilder, build_interactions

T0 = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
TYPES = ("impression", "click", "view", "wishlist", "enroll", "complete", "rate")


def random_rows(n: int, seed: int = 7) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        kind = rng.choice(TYPES)
        value = rng.choice([None, 1.0, 3.0, 4.5]) if kind == "rate" else rng.choice([None, 12.0])
        rows.append((rng.randint(1, 40), rng.randint(100, 130), kind,
                     T0 + dt.timedelta(seconds=rng.randint(0, 90 * 86400)), value))
    return rows


def dense_by_id(inter) -> dict[tuple[str, str], float]:
    csr = inter.to_csr().tocoo()
    return {(inter.user_ids[u], inter.item_ids[i]): float(v) for u, i, v in zip(csr.row, csr.col, csr.data,
                                                                                 strict=True)}


def log_of(rows: list[tuple], chunk: int, expected: int):
    builder = EventLogBuilder(expected)
    for start in range(0, len(rows), chunk):
        builder.add(rows[start:start + chunk])
    return builder.build()


@pytest.mark.parametrize("half_life", [None, 14.0])
def test_a_log_built_in_chunks_aggregates_like_the_rows_it_was_built_from(half_life):
    rows = random_rows(3000)
    log = log_of(rows, chunk=128, expected=100)  # grows past its size hint
    assert len(log) == 3000
    columns = build_interactions(log, half_life_days=half_life)
    tuples = build_interactions(rows, half_life_days=half_life)
    assert len(columns) == len(tuples) and sorted(columns.user_ids) == sorted(tuples.user_ids)
    expected = dense_by_id(tuples)
    got = dense_by_id(columns)
    assert got.keys() == expected.keys()
    assert all(got[k] == pytest.approx(expected[k], rel=1e-5) for k in expected)
    t_cols = {(columns.user_ids[u], columns.item_ids[i]): t
              for u, i, t in zip(columns.users, columns.items, columns.timestamps, strict=True)}
    t_rows = {(tuples.user_ids[u], tuples.item_ids[i]): t
              for u, i, t in zip(tuples.users, tuples.items, tuples.timestamps, strict=True)}
    assert t_cols == pytest.approx(t_rows)


def test_ids_are_in_ascending_order_whatever_order_the_log_was_read_in():
    rows = random_rows(500)
    forward = build_interactions(log_of(rows, 50, 500))
    backward = build_interactions(log_of(rows[::-1], 70, 10))
    assert forward.user_ids == backward.user_ids == sorted(forward.user_ids, key=int)
    assert (forward.to_csr() != backward.to_csr()).nnz == 0


def test_iterating_a_log_gives_back_its_rows():
    rows = [(3, 101, "rate", T0, 4.0), (5, 102, "view", T0 + dt.timedelta(hours=1), None)]
    assert list(log_of(rows, 1, 0)) == rows


def test_an_unknown_type_and_a_bad_half_life_are_refused():
    with pytest.raises(ValueError, match="unknown event type"):
        build_interactions(log_of([(1, 2, "teleport", T0, None)], 1, 1))
    with pytest.raises(ValueError, match="half_life_days"):
        build_interactions(log_of([(1, 2, "view", T0, None)], 1, 1), half_life_days=0)


def test_the_log_costs_about_thirty_bytes_an_event():
    log = log_of(random_rows(10_000), 1000, 10_000)
    size = sum(a.nbytes for a in (log.users, log.items, log.types, log.timestamps, log.values))
    assert size / len(log) <= 34 and log.types.dtype == np.int16
