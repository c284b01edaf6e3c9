"""Blend: one item x item model that combines EASE, item-kNN and side information, with learned weights.

* EASE^R (Steck, WWW 2019) on the interaction matrix stacked with the item side-information matrix (collective
  EASE, Jeunen, Van Balen & Goethals, "Closed-form models for collaborative filtering with side-information",
  RecSys 2020): ``G = X^T X + s^2 F^T F + l2 I``, ``B = I - P diag(1/diag P)`` with ``P = G^{-1}``. ``F`` is a
  binary item-feature matrix (category, storefront, language ...); ``s`` (``side_weight``) 0 switches it off.
* item-kNN cosine similarities from the same Gram matrix, pruned to each item's ``neighbours`` best, added to
  ``B`` with weight ``knn_weight`` after scaling both to the same Frobenius norm.

So the blended model is still ``score(u, .) = x_u W`` with one ``W``: every score is an exact sum of per-history
item contributions ``x_uj W_ji``, which is what makes its "because you took X" reasons truthful
(:meth:`Blend.contributions`). ``x_u`` holds the values of the matrix it was fitted on; training passes values
already multiplied by a per-learner recency weight (:func:`recommender.engine.selection.recency_matrix`), the
Gram matrix itself is built from the binarised matrix. Weights are chosen on a validation split by
:mod:`recommender.engine.selection`.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
import torch

from ..dataset import InteractionMatrix
from .base import Recommender, as_csr


def sparse_times_dense(x: sp.csr_matrix, w: torch.Tensor) -> np.ndarray:
    """``x @ w`` through torch's multi-threaded CSR kernel (scipy's is single-threaded)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning)  # torch's "sparse CSR is beta" notice
        xt = torch.sparse_csr_tensor(torch.from_numpy(x.indptr.astype(np.int64)),
                                     torch.from_numpy(x.indices.astype(np.int64)),
                                     torch.from_numpy(x.data.astype(np.float32)), size=x.shape)
        return (xt @ w).numpy()


def binary(x: sp.csr_matrix) -> sp.csr_matrix:
    out = x.copy()
    out.data[:] = 1.0
    return out


def gram(x: sp.csr_matrix) -> torch.Tensor:
    """``X^T X`` of the binarised matrix as a dense float64 tensor."""
    xb = binary(x)
    return torch.from_numpy((xb.T @ xb).toarray().astype(np.float64))


def side_gram(features: sp.csr_matrix | None, n_items: int) -> torch.Tensor | None:
    """``F^T F`` for an ``n_items x n_features`` binary feature matrix (``None`` without features)."""
    if features is None or features.shape[1] == 0:
        return None
    f = binary(sp.csr_matrix(features, dtype=np.float32))
    if f.shape[0] != n_items:
        raise ValueError(f"item_features has {f.shape[0]} rows, the matrix {n_items} items")
    return torch.from_numpy((f @ f.T).toarray().astype(np.float64))


def ease_weights(g: torch.Tensor, l2: float, side: torch.Tensor | None = None, side_weight: float = 0.0
                 ) -> torch.Tensor:
    """EASE's closed form on ``G (+ s^2 F^T F) + l2 I`` (float32 result, zero diagonal).

    Solved in float32 above 2,000 items (twice as fast; ``l2 >= 1`` keeps it well conditioned), else float64."""
    a = g.clone() if side is None or side_weight <= 0 else g + (side_weight ** 2) * side
    if a.shape[0] > 2000:
        a = a.to(torch.float32)
    a.diagonal().add_(float(l2))
    p = torch.cholesky_inverse(torch.linalg.cholesky(a))
    b = -p / torch.diagonal(p)[None, :]
    b.fill_diagonal_(0.0)
    return b.to(torch.float32)


def knn_weights(g: torch.Tensor, neighbours: int, shrink: float = 0.0) -> torch.Tensor:
    """Cosine item-item similarity ``G_ij / (sqrt(G_ii G_jj) + shrink)``, keeping each column's ``neighbours``
    best (column ``i`` lists what contributes to item ``i``), zero diagonal; float32, dense."""
    d = torch.sqrt(torch.diagonal(g)).clamp_min(1e-12)
    s = (g / (d[:, None] * d[None, :] + shrink)).to(torch.float32)
    s.fill_diagonal_(0.0)
    k = int(min(max(neighbours, 1), s.shape[0]))
    if k < s.shape[0]:
        thresh = torch.topk(s, k, dim=0).values[-1:, :]
        s = torch.where(s >= thresh, s, torch.zeros((), dtype=s.dtype))
    return s


def combine(b: torch.Tensor, s: torch.Tensor | None, knn_weight: float) -> torch.Tensor:
    if s is None or knn_weight <= 0:
        return b
    scale = torch.linalg.matrix_norm(b) / torch.linalg.matrix_norm(s).clamp_min(1e-12)
    return b + float(knn_weight) * scale * s


class Blend(Recommender):
    """EASE (+ side information) + item-kNN, one dense item x item matrix (see module docstring)."""

    name: ClassVar[str] = "blend"
    default_params: ClassVar[dict[str, Any]] = {
        "l2": 500.0,
        "knn_weight": 0.0,
        "neighbours": 100,
        "side_weight": 0.0,
        "recency_half_life": 0.0,  # recorded for the artifact: training applied it to the matrix values
    }

    item_features: sp.csr_matrix | None = None

    def fit(self, matrix: InteractionMatrix | sp.spmatrix | np.ndarray,
            item_features: sp.spmatrix | None = None) -> Blend:
        """Fit; ``item_features`` is an optional ``n_items x n_features`` (binary) side-information matrix."""
        self.item_features = None if item_features is None else sp.csr_matrix(item_features, dtype=np.float32)
        super().fit(matrix)
        return self

    def _fit(self, matrix: sp.csr_matrix) -> None:
        g = gram(matrix).to(self.device)
        side = side_gram(self.item_features, matrix.shape[1])
        b = ease_weights(g, float(self.params["l2"]), None if side is None else side.to(self.device),
                         float(self.params["side_weight"]))
        s = knn_weights(g, int(self.params["neighbours"])) if float(self.params["knn_weight"]) > 0 else None
        self.weights = combine(b, s, float(self.params["knn_weight"])).cpu()

    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        return self._score_rows(self.user_items[user_indices])  # type: ignore[index]

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        return sparse_times_dense(as_csr(rows), self.weights)

    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        # how much having item_index in a history adds to each item's score
        return self.weights[item_index].numpy()

    def contributions(self, history: sp.csr_matrix | np.ndarray, item_index: int) -> np.ndarray:
        """Per-history-item contributions ``x_uj W_j,item`` to one item's score (they sum to the score)."""
        self._check_fitted()
        x = np.asarray(sp.csr_matrix(history).toarray(), dtype=np.float32).reshape(-1)
        return x * self.weights[:, int(item_index)].numpy()

    def _state(self) -> dict[str, torch.Tensor]:
        return {"weights": self.weights}

    def _load_state(self, state: dict[str, torch.Tensor]) -> None:
        self.weights = state["weights"].to(torch.float32)
