"""Offline evaluation: seeded train/test splits and batched top-N evaluation of a fitted model.

Protocols
* **leave-last-out** -- for every user with at least two items, the item with the latest timestamp is held out
  (ties broken by the larger item index so the split is deterministic); the rest is training data
  (the time-aware leave-one-out of e.g. He et al., "Neural Collaborative Filtering", WWW 2017).
* **random** -- per user with at least two items, ``round(test_fraction * n)`` items (at least one, at most
  ``n - 1``) drawn uniformly with a seeded generator go to test.
* **given** -- train and test come from separate files; test pairs with a user or item unknown to training are
  dropped (built by :func:`recommender.engine.dataset.aggregate` with the training id maps).

Items a user has in training are never recommended to them (they are filtered before ranking).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from . import metrics as M
from .dataset import InteractionMatrix, Interactions
from .models.base import top_n


@dataclass
class Split:
    train: Interactions
    test: Interactions


def leave_last_out(data: Interactions) -> Split:
    """Hold out each user's latest item (by timestamp); users with a single item stay wholly in training."""
    n = len(data)
    order = np.lexsort((data.items, data.timestamps, data.users))  # by user, then time, then item
    users_sorted = data.users[order]
    last = np.ones(n, dtype=bool)
    last[:-1] = users_sorted[:-1] != users_sorted[1:]
    first = np.ones(n, dtype=bool)
    first[1:] = users_sorted[1:] != users_sorted[:-1]
    test_sorted = last & ~first  # latest item of users with >= 2 items
    is_test = np.zeros(n, dtype=bool)
    is_test[order[test_sorted]] = True
    return Split(data.subset(~is_test), data.subset(is_test))


def random_holdout(data: Interactions, test_fraction: float = 0.2, seed: int = 0) -> Split:
    """Per-user random holdout of ``test_fraction`` of the items (seeded, deterministic)."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError("test_fraction must be in (0, 1)")
    rng = np.random.default_rng(seed)
    n = len(data)
    order = np.lexsort((data.items, data.users))  # canonical order independent of input row order
    users_sorted = data.users[order]
    counts = np.bincount(users_sorted, minlength=data.n_users)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    keys = rng.random(n)
    # position of each pair within its user after a random shuffle
    shuffled = np.lexsort((keys, users_sorted))
    rank_in_user = np.empty(n, dtype=np.int64)
    rank_in_user[shuffled] = np.arange(n) - starts[users_sorted[shuffled]]
    n_test = np.clip(np.rint(counts * test_fraction), 1, np.maximum(counts - 1, 0)).astype(np.int64)
    n_test[counts < 2] = 0
    is_test_sorted = rank_in_user < n_test[users_sorted]
    is_test = np.zeros(n, dtype=bool)
    is_test[order[is_test_sorted]] = True
    return Split(data.subset(~is_test), data.subset(is_test))


def make_split(data: Interactions, protocol: str, seed: int = 0, test_fraction: float = 0.2) -> Split:
    if protocol == "leave-last-out":
        return leave_last_out(data)
    if protocol == "random":
        return random_holdout(data, test_fraction, seed)
    raise ValueError(f"unknown protocol {protocol!r}; use leave-last-out or random")


@dataclass
class EvaluationResult:
    metrics: dict[str, float]
    n_users: int
    recommendations: dict[int, list[int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"metrics": self.metrics, "n_users": self.n_users}


def _csr(x: Interactions | InteractionMatrix | sp.spmatrix) -> sp.csr_matrix:
    if isinstance(x, Interactions):
        return x.to_csr()
    if isinstance(x, InteractionMatrix):
        return x.matrix
    return sp.csr_matrix(x)


def evaluate(
    model: Any,
    train: Interactions | InteractionMatrix | sp.spmatrix,
    test: Interactions | InteractionMatrix | sp.spmatrix,
    ks: Sequence[int] = (10, 20),
    batch_size: int = 512,
    keep_recommendations: bool = False,
    with_auc: bool = True,
) -> EvaluationResult:
    """Evaluate a fitted ``model`` on every user with at least one test item.

    Returns the mean Precision/Recall/NDCG/MAP at each K, mean per-user AUC and catalogue coverage at each K.
    The model must have been fitted on ``train`` (its rows/columns are the same indices).
    """
    train_csr = _csr(train)
    test_csr = _csr(test)
    n_items = train_csr.shape[1]
    ks = sorted({int(k) for k in ks})
    max_k = max(ks)
    users = np.flatnonzero(np.diff(test_csr.indptr) > 0)
    users = users[users < train_csr.shape[0]]
    sums: dict[str, float] = {}
    aucs: list[np.ndarray] = []
    covered = {k: np.zeros(n_items, dtype=bool) for k in ks}
    recs: dict[int, list[int]] = {}
    for start in range(0, users.size, batch_size):
        batch = users[start : start + batch_size]
        scores = model.score_users(batch, filter_seen=True)
        idx, vals = top_n(scores, max_k)
        truth = test_csr[batch]
        for r, u in enumerate(batch):
            ranked = [int(i) for i, v in zip(idx[r], vals[r], strict=True) if np.isfinite(v)]
            relevant = set(truth.indices[truth.indptr[r] : truth.indptr[r + 1]].tolist())
            for k in ks:
                for name, value in M.ranking_metrics(ranked, relevant, k).items():
                    sums[name] = sums.get(name, 0.0) + value
                covered[k][ranked[:k]] = True
            if keep_recommendations:
                recs[int(u)] = ranked
        if with_auc:
            pos = truth.toarray() > 0
            excl = train_csr[batch].toarray() > 0
            aucs.append(M.auc_batch(scores, pos & ~excl, excl))
    n = int(users.size)
    out = {name: (value / n if n else 0.0) for name, value in sums.items()}
    if with_auc:
        a = np.concatenate(aucs) if aucs else np.array([])
        out["auc"] = float(np.nanmean(a)) if np.isfinite(a).any() else float("nan")
    for k in ks:
        out[f"coverage@{k}"] = float(covered[k].mean()) if n_items else 0.0
    return EvaluationResult(dict(sorted(out.items())), n, recs)
