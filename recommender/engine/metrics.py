"""Top-N ranking metrics, per user, written to be checked against hand-worked examples.

Notation: ``ranked`` is a user's recommendation list, best first; ``relevant`` the set of held-out items; ``k`` the
cut-off; ``rel_j = 1`` if the item at 1-based position ``j`` is relevant.

* Precision@K = hits@K / K
* Recall@K    = hits@K / |relevant|
* NDCG@K      = DCG@K / IDCG@K with DCG@K = sum_{j<=K} rel_j / log2(j + 1) and IDCG@K the DCG of an ideal list
  (``min(K, |relevant|)`` hits on top) -- Jarvelin & Kekalainen, "Cumulated gain-based evaluation of IR
  techniques", TOIS 2002.
* AP@K        = (1 / min(K, |relevant|)) * sum_{j<=K} rel_j * Precision@j; MAP@K is its mean over users.
* AUC         = fraction of (relevant, non-relevant) pairs the scores order correctly, ties counting 1/2, over the
  candidate items (everything not excluded, e.g. not in the user's training items) -- the per-user AUC of
  Rendle et al., BPR (UAI 2009), section 6.2.
* Coverage@K  = |union of all users' top-K lists| / |catalogue| (Ge, Delgado-Battenfeld & Jannach, "Beyond
  accuracy", RecSys 2010).

Users with no relevant items are not scored (callers skip them).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

import numpy as np
from scipy.stats import rankdata


def _hits(ranked: Sequence[int], relevant: Collection[int], k: int) -> np.ndarray:
    rel = set(relevant)
    return np.array([1.0 if item in rel else 0.0 for item in list(ranked)[:k]])


def precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """hits in the first ``k`` / ``k``."""
    return float(_hits(ranked, relevant, k).sum() / k)


def recall_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """hits in the first ``k`` / number of relevant items."""
    if not relevant:
        return 0.0
    return float(_hits(ranked, relevant, k).sum() / len(set(relevant)))


def ndcg_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """Binary-relevance NDCG with the log2(position + 1) discount."""
    n_rel = len(set(relevant))
    if n_rel == 0:
        return 0.0
    hits = _hits(ranked, relevant, k)
    dcg = float((hits / np.log2(np.arange(2, hits.size + 2))).sum())
    ideal = min(k, n_rel)
    idcg = float((1.0 / np.log2(np.arange(2, ideal + 2))).sum())
    return dcg / idcg


def average_precision_at_k(ranked: Sequence[int], relevant: Collection[int], k: int) -> float:
    """AP@K normalised by ``min(k, |relevant|)``."""
    n_rel = len(set(relevant))
    if n_rel == 0:
        return 0.0
    hits = _hits(ranked, relevant, k)
    if hits.size == 0:
        return 0.0
    precisions = np.cumsum(hits) / np.arange(1, hits.size + 1)
    return float((precisions * hits).sum() / min(k, n_rel))


def auc(scores: np.ndarray, relevant: Collection[int], excluded: Collection[int] = ()) -> float:
    """Per-user AUC over candidate items (all items minus ``excluded``), ties counted as one half."""
    scores = np.asarray(scores, dtype=np.float64)
    mask = np.ones(scores.size, dtype=bool)
    if excluded:
        mask[list(excluded)] = False
    pos = np.zeros(scores.size, dtype=bool)
    pos[list(relevant)] = True
    pos &= mask
    cand = scores[mask]
    is_pos = pos[mask]
    n_pos = int(is_pos.sum())
    n_neg = int(cand.size - n_pos)
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = rankdata(cand)  # average ranks handle ties (Mann-Whitney U)
    u_stat = ranks[is_pos].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u_stat / (n_pos * n_neg))


def auc_batch(scores: np.ndarray, positive: np.ndarray, excluded: np.ndarray) -> np.ndarray:
    """Vectorised per-row AUC (same definition as :func:`auc`) for boolean ``positive``/``excluded`` masks.

    Uses the Mann-Whitney U statistic with average ranks for ties. Excluded items are pushed to ``-inf`` so they
    form one tie group below every candidate and shift each candidate's rank by exactly ``n_excluded``.
    """
    excluded = excluded.astype(bool)
    pos = positive.astype(bool) & ~excluded
    s = np.where(excluded, -np.inf, np.nan_to_num(scores.astype(np.float64), neginf=-1e300))
    ranks = rankdata(s, axis=1)
    n_pos = pos.sum(1).astype(np.float64)
    n_exc = excluded.sum(1).astype(np.float64)
    n_neg = scores.shape[1] - n_exc - n_pos
    u_stat = (ranks * pos).sum(1) - n_pos * n_exc - n_pos * (n_pos + 1) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        out = u_stat / (n_pos * n_neg)
    out[(n_pos == 0) | (n_neg == 0)] = np.nan
    return out


def coverage(recommendation_lists: Iterable[Sequence[int]], n_items: int, k: int | None = None) -> float:
    """Share of the catalogue that appears in at least one user's top-``k`` list."""
    seen: set[int] = set()
    for ranked in recommendation_lists:
        seen.update(list(ranked)[:k] if k is not None else ranked)
    return len(seen) / n_items if n_items else 0.0


def ranking_metrics(ranked: Sequence[int], relevant: Collection[int], k: int) -> dict[str, float]:
    """All list metrics at one cut-off for one user."""
    return {
        f"precision@{k}": precision_at_k(ranked, relevant, k),
        f"recall@{k}": recall_at_k(ranked, relevant, k),
        f"ndcg@{k}": ndcg_at_k(ranked, relevant, k),
        f"map@{k}": average_precision_at_k(ranked, relevant, k),
    }
