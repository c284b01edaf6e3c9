"""Engagement model: P(enrol | impression) by L2-regularised logistic regression, plus ROC-AUC and PR-AUC.

Features per impression (:data:`FEATURES`): the recommender's score, the course's popularity (log of its
enrolments), whether its category matches the learner's interests (0/1), its price and its position in the feed
(log(1 + position)); and the learner's progress (:data:`PROGRESS_FEATURES`): log(1 + lessons they completed in
the 30 days before the impression) and log(1 + courses they had completed). A model records the features it was
fitted on, so one fitted on :data:`BASE_FEATURES` alone (to measure what progress adds) still loads. Inputs are standardised with training means/stds. The model is fitted by Newton's method /
IRLS on the penalised log-likelihood (Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*,
section 4.4.1), which converges in a handful of steps for a few features.

ROC-AUC is the Mann-Whitney statistic (ties 1/2); PR-AUC is average precision, sum_k (R_k - R_{k-1}) P_k
(Davis & Goadrich, "The relationship between precision-recall and ROC curves", ICML 2006).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.stats import rankdata

BASE_FEATURES: tuple[str, ...] = ("model_score", "popularity", "category_match", "price", "position")
PROGRESS_FEATURES: tuple[str, ...] = ("lessons_30d", "courses_completed")
FEATURES: tuple[str, ...] = BASE_FEATURES + PROGRESS_FEATURES
#: counts read on a log scale (log(1 + x))
_LOG_FEATURES = frozenset({"popularity", "position", "lessons_30d", "courses_completed"})


def roc_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative (ties count 1/2)."""
    y = np.asarray(y_true).astype(bool)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(np.asarray(y_score, dtype=np.float64))
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def pr_auc(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Average precision: mean of precision@rank over the positives' ranks (scores sorted descending)."""
    y = np.asarray(y_true).astype(bool)
    if not y.any():
        return float("nan")
    order = np.argsort(-np.asarray(y_score, dtype=np.float64), kind="stable")
    hits = y[order]
    precision = np.cumsum(hits) / np.arange(1, hits.size + 1)
    return float(precision[hits].mean())


def time_holdout(timestamps: np.ndarray, test_fraction: float = 0.2) -> tuple[np.ndarray, np.ndarray]:
    """Boolean (train, test) masks: the latest ``test_fraction`` of rows by timestamp form the test set."""
    ts = np.asarray(timestamps, dtype=np.float64)
    order = np.argsort(ts, kind="stable")
    n_test = int(round(ts.size * test_fraction))
    test = np.zeros(ts.size, dtype=bool)
    test[order[ts.size - n_test :]] = True
    return ~test, test


def feature_matrix(rows: Sequence[dict[str, float]], features: Sequence[str] = FEATURES) -> np.ndarray:
    """Rows of raw feature dicts -> the transformed ``n x len(features)`` matrix used by the model."""
    x = np.array([[float(r.get(f, 0.0)) for f in features] for r in rows], dtype=np.float64).reshape(-1, len(features))
    for k, name in enumerate(features):
        if name in _LOG_FEATURES:
            x[:, k] = np.log1p(np.maximum(x[:, k], 0.0))
    return x


@dataclass
class EngagementModel:
    """Logistic regression on standardised features; ``coef``/``intercept`` apply to standardised inputs."""

    l2: float = 1.0
    max_iter: int = 50
    coef: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    intercept: float = 0.0
    mean: np.ndarray = field(default_factory=lambda: np.zeros(len(FEATURES)))
    std: np.ndarray = field(default_factory=lambda: np.ones(len(FEATURES)))
    features: tuple[str, ...] = FEATURES

    def _z(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=np.float64) - self.mean) / self.std

    def fit(self, x: np.ndarray, y: np.ndarray) -> EngagementModel:
        """Newton/IRLS on ``-loglik + l2/2 |coef|^2`` (intercept unpenalised)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        self.mean = x.mean(0)
        self.std = np.where(x.std(0) > 1e-12, x.std(0), 1.0)
        z = np.hstack([np.ones((x.shape[0], 1)), self._z(x)])
        beta = np.zeros(z.shape[1])
        penalty = np.full(z.shape[1], self.l2)
        penalty[0] = 1e-8
        for _ in range(self.max_iter):
            p = 1.0 / (1.0 + np.exp(-z @ beta))
            grad = z.T @ (p - y) + penalty * beta
            hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
            step = np.linalg.solve(hess, grad)
            beta -= step
            if np.abs(step).max() < 1e-8:
                break
        self.intercept, self.coef = float(beta[0]), beta[1:]
        return self

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(self._z(x) @ self.coef + self.intercept)))

    def predict_rows(self, rows: Sequence[dict[str, float]]) -> np.ndarray:
        """P(enrol) for raw feature dicts, read with the features this model was fitted on."""
        return self.predict_proba(feature_matrix(rows, self.features))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features), "l2": self.l2, "coef": self.coef.tolist(), "intercept": self.intercept,
            "mean": self.mean.tolist(), "std": self.std.tolist(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EngagementModel:
        features = tuple(data.get("features", ()))
        if not features or not set(features) <= set(FEATURES) or len(data["coef"]) != len(features):
            raise ValueError("engagement model was trained on different features")
        return cls(features=features,
            l2=float(data["l2"]), coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]), mean=np.asarray(data["mean"], dtype=np.float64),
            std=np.asarray(data["std"], dtype=np.float64),
        )


def fit_and_evaluate(
    x: np.ndarray, y: np.ndarray, timestamps: np.ndarray, test_fraction: float = 0.2, l2: float = 1.0,
    features: Sequence[str] = FEATURES,
) -> tuple[EngagementModel, dict[str, float]]:
    """Fit on the earlier impressions, report ROC-AUC / PR-AUC / base rate on the latest ``test_fraction``.
    ``x`` holds the columns of ``features`` (:func:`feature_matrix` with the same ``features``)."""
    train, test = time_holdout(timestamps, test_fraction)
    model = EngagementModel(l2=l2, features=tuple(features)).fit(x[train], y[train])
    p = model.predict_proba(x[test])
    return model, {
        "roc_auc": roc_auc(y[test], p),
        "pr_auc": pr_auc(y[test], p),
        "positive_rate": float(np.mean(y[test])) if test.any() else float("nan"),
        "n_train": int(train.sum()),
        "n_test": int(test.sum()),
    }


def _group_ndcg(scores: np.ndarray, labels: np.ndarray, groups: np.ndarray, k: int) -> float:
    """Mean NDCG@k of the positives within each group (one feed shown to one learner) that has a positive and a
    negative, ranking the group's rows by ``scores``."""
    order = np.lexsort((-scores, groups))
    g, y = groups[order], labels[order] > 0
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    ends = np.r_[starts[1:], g.size]
    values = []
    for a, b in zip(starts, ends, strict=True):
        rel = y[a:b]
        n_pos = int(rel.sum())
        if n_pos == 0 or n_pos == rel.size:
            continue
        disc = 1.0 / np.log2(np.arange(2, min(k, rel.size) + 2))
        dcg = float((rel[:k] * disc[: min(k, rel.size)]).sum())
        values.append(dcg / float(disc[: min(k, n_pos)].sum()))
    return float(np.mean(values)) if values else float("nan")


def replay_blend(base: np.ndarray, p_enrol: np.ndarray, labels: np.ndarray, groups: np.ndarray,
                 train: np.ndarray, weights: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0), k: int = 10
                 ) -> dict[str, Any]:
    """Offline replay: does re-ranking logged feeds by ``z(base) + w z(p_enrol)`` put enrolments higher?

    ``z`` standardises with the ``train`` rows' mean and std. The weight is chosen by group NDCG@k of the
    enrolments on the ``train`` (earlier) rows and then judged on the later rows: ``use`` is true only when the
    chosen weight is positive and beats the base ranking there. ``p_enrol`` should be predicted without the logged
    position (the old ranking's), or the replay just learns the old ranking back.
    """
    base = np.asarray(base, dtype=np.float64)
    p = np.asarray(p_enrol, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    groups = np.asarray(groups)
    train = np.asarray(train, dtype=bool)
    test = ~train

    def z(v: np.ndarray) -> np.ndarray:
        sd = v[train].std()
        return (v - v[train].mean()) / (sd if sd > 1e-12 else 1.0)

    zb, zp = z(base), z(p)
    on_train = {float(w): _group_ndcg(zb[train] + w * zp[train], y[train], groups[train], k) for w in weights}
    finite = {w: s for w, s in on_train.items() if np.isfinite(s)}
    chosen = max(finite, key=lambda w: (finite[w], -w)) if finite else 0.0
    base_test = _group_ndcg(zb[test], y[test], groups[test], k)
    blend_test = _group_ndcg(zb[test] + chosen * zp[test], y[test], groups[test], k)
    use = bool(chosen > 0 and np.isfinite(blend_test) and np.isfinite(base_test) and blend_test > base_test)
    return {"metric": f"ndcg@{k} of enrolments within each logged feed", "weights_tried": on_train,
            "weight": chosen, "holdout_base": base_test, "holdout_blend": blend_test, "use": use}
