"""Hyper-parameter selection on a validation split carved from the *training* data only.

The training part is split again with the same protocol as the outer evaluation (leave-last-out -> each
user's latest training item; random -> a per-user random 20 %), every setting of a small grid is fitted on the
remainder and scored by NDCG@10 on the validation part; the best setting is then refitted on the full training
data by the caller. The test data are never seen here.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .dataset import Interactions
from .evaluation import evaluate, make_split
from .models import make_model

#: Small grids (a handful of fits each) -- enough to adapt regularisation to the data size.
GRIDS: dict[str, dict[str, list[Any]]] = {
    "pop": {},
    "itemknn": {"neighbours": [50, 200], "shrink": [0.0, 10.0]},
    "ials": {"regularization": [10.0, 30.0, 60.0], "alpha": [2.0, 5.0]},
    "bpr": {"learning_rate": [0.02, 0.05], "regularization": [0.002, 0.01]},
    "ease": {"l2": [100.0, 500.0, 2000.0]},
}


def grid_settings(grid: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    keys = sorted(grid)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*(grid[k] for k in keys))]


def tune(
    name: str,
    train: Interactions,
    protocol: str = "leave-last-out",
    seed: int = 0,
    grid: Mapping[str, Sequence[Any]] | None = None,
    base_params: Mapping[str, Any] | None = None,
    metric: str = "ndcg@10",
    progress: Callable[[dict[str, Any], float], None] | None = None,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return ``(best_params, trials)``; ``trials`` lists every setting with its validation score."""
    settings = grid_settings(GRIDS.get(name, {}) if grid is None else grid)
    if not settings:
        return dict(base_params or {}), []
    inner_protocol = "random" if protocol == "given" else protocol
    split = make_split(train, inner_protocol, seed=seed + 1)
    fit_csr = split.train.to_csr()
    trials: list[dict[str, Any]] = []
    best: tuple[float, dict[str, Any]] | None = None
    for setting in settings:
        params = {**(base_params or {}), **setting}
        model = make_model(name, **params).fit(fit_csr)
        score = evaluate(model, fit_csr, split.test, ks=(10,), with_auc=False).metrics.get(metric, 0.0)
        trials.append({"params": setting, metric: score})
        if progress is not None:
            progress(setting, score)
        if best is None or score > best[0]:
            best = (score, params)
    assert best is not None
    return dict(best[1]), trials
