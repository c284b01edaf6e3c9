"""Neighbourhood and popularity baselines.

* :class:`Popularity` -- items ranked by how many users interacted with them (the classic non-personalised
  baseline, e.g. Cremonesi, Koren & Turrin, "Performance of recommender algorithms on top-N recommendation
  tasks", RecSys 2010).
* :class:`ItemKNN` -- item-item cosine collaborative filtering (Sarwar, Karypis, Konstan & Riedl, "Item-based
  collaborative filtering recommendation algorithms", WWW 2001; Deshpande & Karypis, "Item-based top-N
  recommendation algorithms", TOIS 2004)::

      sim(i, j) = (r_i . r_j) / (||r_i|| ||r_j|| + shrink)        score(u, i) = sum_{j in I(u)} r_uj sim(i, j)

  where ``r_i`` is item i's column of the (optionally binarised) user x item matrix; only each item's
  ``neighbours`` most similar items are kept.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
import torch

from .base import Recommender, csr_from_state, csr_to_state


class Popularity(Recommender):
    """Score every item by its number of distinct users in the training matrix."""

    name: ClassVar[str] = "pop"
    default_params: ClassVar[dict[str, Any]] = {}

    def _fit(self, matrix: sp.csr_matrix) -> None:
        counts = np.bincount(matrix.indices, minlength=matrix.shape[1]).astype(np.float64)
        self.item_scores = counts.astype(np.float32)

    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        return np.broadcast_to(self.item_scores, (user_indices.size, self.item_scores.size))

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        return self._scores(np.zeros(rows.shape[0], dtype=np.int64))

    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        return self.item_scores

    def _state(self) -> dict[str, torch.Tensor]:
        return {"item_scores": torch.from_numpy(self.item_scores)}

    def _load_state(self, state: dict[str, torch.Tensor]) -> None:
        self.item_scores = state["item_scores"].numpy()


class ItemKNN(Recommender):
    """Item-item cosine CF with top-k neighbour pruning and optional shrinkage (see module docstring)."""

    name: ClassVar[str] = "itemknn"
    default_params: ClassVar[dict[str, Any]] = {"neighbours": 100, "shrink": 0.0, "binary": True}

    def _fit(self, matrix: sp.csr_matrix) -> None:
        x = matrix.copy()
        if self.params["binary"]:
            x.data[:] = 1.0
        n_items = x.shape[1]
        xt = x.T.tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel()).astype(np.float32)
        k = int(min(self.params["neighbours"], max(n_items - 1, 1)))
        shrink = float(self.params["shrink"])
        rows, cols, vals = [], [], []
        block = max(1, min(n_items, 2_000_000 // max(n_items, 1)))
        for start in range(0, n_items, block):
            stop = min(n_items, start + block)
            co = (xt[start:stop] @ x).toarray().astype(np.float32)  # block x n_items co-occurrence
            denom = norms[start:stop, None] * norms[None, :] + shrink
            sims = np.divide(co, denom, out=np.zeros_like(co), where=denom > 0)
            sims[np.arange(stop - start), np.arange(start, stop)] = 0.0
            kk = min(k, n_items)
            part = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
            pv = np.take_along_axis(sims, part, axis=1)
            keep = pv > 0
            r = np.repeat(np.arange(start, stop), kk).reshape(-1, kk)
            rows.append(r[keep])
            cols.append(part[keep])
            vals.append(pv[keep])
        sim = sp.csr_matrix(
            (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n_items, n_items),
            dtype=np.float32,
        )
        sim.sort_indices()
        self.similarity = sim  # row i holds i's neighbours

    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        return self._score_rows(self.user_items[user_indices])  # type: ignore[index]

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        x = rows
        if self.params["binary"]:
            x = x.copy()
            x.data[:] = 1.0
        # score(u, i) = sum_j r_uj sim(i, j) -> X_u @ S^T
        return np.asarray((x @ self.similarity.T).toarray(), dtype=np.float32)

    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        return self.similarity[item_index].toarray().ravel()

    def _state(self) -> dict[str, torch.Tensor]:
        return csr_to_state(self.similarity, "similarity")

    def _load_state(self, state: dict[str, torch.Tensor]) -> None:
        self.similarity = csr_from_state(state, "similarity")
