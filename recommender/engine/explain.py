"""Truthful reasons: "because you took X" names the history item that contributed most to the item's score.

For item-item models the score is an exact sum over the learner's history, ``score(u, i) = sum_j x_uj W_ji``
(:class:`~.models.blend.Blend` and :class:`~.models.ease.EASE`: ``W = B``; :class:`~.models.simple.ItemKNN`:
``W_ji = sim(i, j)``). :func:`explain` returns the largest term, and only when it is *substantial*: positive, at
least ``min_share`` of the sum of the positive terms, and coming from one of the item's ``NEIGHBOURS`` strongest
links (``W_ji`` among the largest of column ``i``), so a small share of a weak score never names an unrelated
course. Otherwise -- and for models whose scores do not decompose over the history (factor models, popularity)
-- there is no anchor and callers show a generic reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

#: A named course must account for at least this share of the positive contributions to the item's score.
MIN_SHARE = 0.3
#: ... and its link to the item must be among the item's this many strongest.
NEIGHBOURS = 10


@dataclass(frozen=True)
class Explanation:
    item: int
    anchor: int  # the history item that contributed most
    contribution: float
    share: float  # contribution / sum of positive contributions


def contribution_matrix(model: object, history: np.ndarray, items: np.ndarray) -> np.ndarray | None:
    """``len(history) x len(items)`` item-item weights ``W[history, items]``, or ``None`` if the model's scores do
    not decompose over the history."""
    name = getattr(model, "name", "")
    if name in ("blend", "ease"):
        w = model.weights  # type: ignore[attr-defined]
        return w[np.asarray(history)][:, np.asarray(items)].numpy()
    if name == "itemknn":
        sim = model.similarity  # type: ignore[attr-defined]  # row i = i's neighbours
        return np.asarray(sim[np.asarray(items)][:, np.asarray(history)].toarray(), dtype=np.float32).T
    return None


def neighbour_floor(model: object, k: int = NEIGHBOURS) -> np.ndarray | None:
    """Per item, the ``k``-th largest incoming weight ``W_ji`` (cached on the model)."""
    cached = getattr(model, "_explain_floor", None)
    if cached is not None and cached[0] == k:
        return cached[1]
    name = getattr(model, "name", "")
    if name in ("blend", "ease"):
        import torch

        w = model.weights  # type: ignore[attr-defined]
        kk = min(k, w.shape[0])
        floor = torch.topk(w, kk, dim=0).values[-1].numpy()
    elif name == "itemknn":
        sim = model.similarity.tocsr()  # type: ignore[attr-defined]
        floor = np.zeros(sim.shape[0], dtype=np.float32)
        for i in range(sim.shape[0]):
            row = sim.data[sim.indptr[i]:sim.indptr[i + 1]]
            floor[i] = np.sort(row)[-k] if row.size >= k else (row.min() if row.size else np.inf)
    else:
        return None
    model._explain_floor = (k, floor)  # type: ignore[attr-defined]
    return floor


def history_values(model: object, row: sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """The history (indices) and the values the model scores it with (binarised where the model binarises)."""
    row = sp.csr_matrix(row)
    idx, vals = row.indices.astype(np.int64), row.data.astype(np.float32)
    params = getattr(model, "params", {})
    if params.get("binary") and getattr(model, "name", "") in ("ease", "itemknn"):
        vals = np.ones_like(vals)
    return idx, vals


def explain_items(model: object, row: sp.csr_matrix, items: Sequence[int], min_share: float = MIN_SHARE
                  ) -> list[Explanation | None]:
    """:func:`explain` for several items of one learner (``row``: their history as the model scores it)."""
    idx, vals = history_values(model, row)
    items_arr = np.asarray(list(items), dtype=np.int64)
    if idx.size == 0 or items_arr.size == 0:
        return [None] * items_arr.size
    w = contribution_matrix(model, idx, items_arr)
    floor = neighbour_floor(model)
    if w is None or floor is None:
        return [None] * items_arr.size
    contrib = vals[:, None] * w  # history x items
    out: list[Explanation | None] = []
    for col, item in enumerate(items_arr.tolist()):
        c = contrib[:, col]
        best = int(np.argmax(c))
        top = float(c[best])
        positive = float(c[c > 0].sum())
        share = top / positive if positive > 0 else 0.0
        strong = w[best, col] >= floor[item]
        ok = top > 0 and share >= min_share and strong
        out.append(Explanation(int(item), int(idx[best]), top, share) if ok else None)
    return out


def explain(model: object, row: sp.csr_matrix, item: int, min_share: float = MIN_SHARE) -> Explanation | None:
    """The history item that contributed most to ``item``'s score for the learner whose history is ``row``
    (``1 x n_items``, e.g. ``model.user_items[u]``), when that contribution is substantial; else ``None``."""
    return explain_items(model, row, [item], min_share)[0]
