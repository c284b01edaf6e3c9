"""EASE^R: embarrassingly shallow autoencoder (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data",
WWW 2019).

Closed form (Steck 2019, eq. 8)::

    G = X^T X + lambda I,   P = G^{-1},   B_ij = -P_ij / P_jj  (j != i),   B_jj = 0
    score(u, .) = X_u B

The item x item matrix B is dense, so this model suits catalogues up to a few ten-thousand items (a course
marketplace's catalogue easily fits).
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
import torch

from .base import Recommender


class EASE(Recommender):
    name: ClassVar[str] = "ease"
    default_params: ClassVar[dict[str, Any]] = {"l2": 500.0, "binary": True}

    def _input(self, x: sp.csr_matrix) -> sp.csr_matrix:
        if self.params["binary"]:
            x = x.copy()
            x.data[:] = 1.0
        return x

    def _fit(self, matrix: sp.csr_matrix) -> None:
        x = self._input(matrix)
        dev = self.device
        gram = torch.from_numpy((x.T @ x).toarray().astype(np.float64)).to(dev)
        gram.diagonal().add_(float(self.params["l2"]))
        p = torch.cholesky_inverse(torch.linalg.cholesky(gram))
        b = -p / torch.diagonal(p)[None, :]
        b.fill_diagonal_(0.0)
        self.weights = b.to(torch.float32).cpu()

    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        return self._score_rows(self.user_items[user_indices])  # type: ignore[index]

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        x = self._input(rows)
        w = self.weights.numpy()
        return np.asarray(x @ w, dtype=np.float32)

    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        return self.weights[item_index].numpy()

    def _state(self) -> dict[str, torch.Tensor]:
        return {"weights": self.weights}

    def _load_state(self, state: dict[str, torch.Tensor]) -> None:
        self.weights = state["weights"].to(torch.float32)
