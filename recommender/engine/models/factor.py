"""Matrix factorisation for implicit feedback, in torch (``cuda`` when available, else CPU).

* :class:`IALS` -- weighted ALS of Hu, Koren & Volinsky, "Collaborative Filtering for Implicit Feedback
  Datasets" (ICDM 2008). Preference ``p_ui = 1[r_ui > 0]``, confidence ``c_ui = 1 + alpha r_ui``; minimise
  ``sum_ui c_ui (p_ui - x_u.y_i)^2 + lambda (|x_u|^2 + |y_i|^2)``. Each half-step solves, for every user at once,
  ``(Y^T Y + Y^T (C_u - I) Y + lambda I) x_u = Y^T C_u p_u`` (Hu et al. eq. 4) with a few warm-started conjugate
  gradient steps (Takacs, Pilaszy & Tikk, "Applications of the conjugate gradient method for implicit feedback
  collaborative filtering", RecSys 2011); the sparse term uses SDDMM + SpMM so a whole side is one batch.
* :class:`BPR` -- Bayesian personalised ranking (Rendle, Freudenthaler, Gantner & Schmidt-Thieme, "BPR: Bayesian
  Personalized Ranking from Implicit Feedback", UAI 2009): maximise ``sum ln sigma(x_ui - x_uj)`` over sampled
  (user, positive i, negative j) triples, ``x_ui = w_u.h_i + b_i``, with L2 regularisation, minibatch SGD.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
import torch

from .base import Recommender


def _torch_csr(m: sp.csr_matrix, values: np.ndarray, device: torch.device) -> torch.Tensor:
    return torch.sparse_csr_tensor(
        torch.from_numpy(m.indptr.astype(np.int64)),
        torch.from_numpy(m.indices.astype(np.int64)),
        torch.from_numpy(values.astype(np.float32)),
        size=m.shape,
        device=device,
    )


class _FactorModel(Recommender):
    """Shared scoring/persistence for models with user factors and item factors (+ optional item bias)."""

    user_factors: torch.Tensor
    item_factors: torch.Tensor
    item_bias: torch.Tensor | None = None

    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        u = self.user_factors[torch.from_numpy(user_indices)]
        s = u @ self.item_factors.T
        if self.item_bias is not None:
            s = s + self.item_bias[None, :]
        return s.numpy()

    def _fold_in(self, rows: sp.csr_matrix) -> torch.Tensor:
        """User vectors for ad-hoc rows: mean of the history's item factors (overridden by iALS)."""
        counts = np.maximum(np.diff(rows.indptr), 1).astype(np.float32)
        x = sp.csr_matrix((np.ones_like(rows.data), rows.indices, rows.indptr), shape=rows.shape)
        return torch.from_numpy(np.asarray(x @ self.item_factors.numpy()) / counts[:, None])

    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        s = self._fold_in(rows) @ self.item_factors.T
        if self.item_bias is not None:
            s = s + self.item_bias[None, :]
        return s.numpy()

    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        y = torch.nn.functional.normalize(self.item_factors, dim=1)
        return (y @ y[item_index]).numpy()

    def _state(self) -> dict[str, torch.Tensor]:
        state = {"user_factors": self.user_factors, "item_factors": self.item_factors}
        if self.item_bias is not None:
            state["item_bias"] = self.item_bias
        return state

    def _load_state(self, state: dict[str, torch.Tensor]) -> None:
        self.user_factors = state["user_factors"].float()
        self.item_factors = state["item_factors"].float()
        self.item_bias = state.get("item_bias")


class IALS(_FactorModel):
    """Weighted ALS for implicit feedback (Hu et al. 2008) solved with batched conjugate gradient."""

    name: ClassVar[str] = "ials"
    default_params: ClassVar[dict[str, Any]] = {
        "factors": 64,
        "regularization": 30.0,
        "alpha": 5.0,
        "iterations": 15,
        "cg_steps": 3,
        "binary": True,
    }

    def _fit(self, matrix: sp.csr_matrix) -> None:
        with warnings.catch_warnings():  # torch flags its sparse CSR support as beta on every construction
            warnings.filterwarnings("ignore", message=".*[Ss]parse.*", category=UserWarning)
            self._fit_als(matrix)

    def _fit_als(self, matrix: sp.csr_matrix) -> None:
        dev = self.device
        f = int(self.params["factors"])
        reg = float(self.params["regularization"])
        alpha = float(self.params["alpha"])
        r = np.ones_like(matrix.data) if self.params["binary"] else matrix.data
        gen = torch.Generator().manual_seed(self.seed)
        n_users, n_items = matrix.shape
        x = (torch.rand(n_users, f, generator=gen) * 0.01).to(dev)
        y = (torch.rand(n_items, f, generator=gen) * 0.01).to(dev)
        mt = matrix.T.tocsr()
        rt = np.ones_like(mt.data) if self.params["binary"] else mt.data
        sides = []
        for m, vals in ((matrix, r), (mt, rt)):
            # (c - 1) = alpha r for the A_u term and c = 1 + alpha r for the right-hand side Y^T C_u p_u
            sides.append((_torch_csr(m, alpha * vals, dev), _torch_csr(m, 1.0 + alpha * vals, dev)))
        eye = torch.eye(f, device=dev)
        for _ in range(int(self.params["iterations"])):
            x = self._cg(x, y, *sides[0], reg, eye)
            y = self._cg(y, x, *sides[1], reg, eye)
        self.user_factors = x.float().cpu()
        self.item_factors = y.float().cpu()
        self.item_bias = None

    def _fold_in(self, rows: sp.csr_matrix) -> torch.Tensor:
        """Exact per-row solve of Hu et al. eq. 4 against the trained item factors."""
        y = self.item_factors.double()
        alpha, reg = float(self.params["alpha"]), float(self.params["regularization"])
        base = y.T @ y + reg * torch.eye(y.shape[1], dtype=torch.float64)
        out = torch.zeros(rows.shape[0], y.shape[1], dtype=torch.float64)
        for r in range(rows.shape[0]):
            idx = torch.from_numpy(rows.indices[rows.indptr[r] : rows.indptr[r + 1]].astype(np.int64))
            vals = rows.data[rows.indptr[r] : rows.indptr[r + 1]]
            conf = alpha * torch.from_numpy(np.ones_like(vals) if self.params["binary"] else vals).double()
            yi = y[idx]
            a = base + (yi * conf[:, None]).T @ yi
            out[r] = torch.linalg.solve(a, ((1.0 + conf)[:, None] * yi).sum(0))
        return out.float()

    def _cg(
        self, x: torch.Tensor, y: torch.Tensor, cm1: torch.Tensor, c: torch.Tensor, reg: float, eye: torch.Tensor
    ) -> torch.Tensor:
        """Warm-started CG on ``A_u x_u = b_u`` for all rows (Takacs et al. 2011, Alg. 2)."""
        yty = y.T @ y + reg * eye
        cm1_vals = cm1.values()

        def a_times(v: torch.Tensor) -> torch.Tensor:
            # Y^T (C_u - I) Y v_u = sum_i (c_ui - 1) (y_i . v_u) y_i  via SDDMM then SpMM
            dots = torch.sparse.sampled_addmm(cm1, v, y.T, beta=0.0)
            weighted = torch.sparse_csr_tensor(
                cm1.crow_indices(), cm1.col_indices(), dots.values() * cm1_vals, size=cm1.shape
            )
            return v @ yty + torch.sparse.mm(weighted, y)

        b = torch.sparse.mm(c, y)  # Y^T C_u p_u with p_u = 1 on observed items
        res = b - a_times(x)
        p = res
        rs_old = (res * res).sum(1)
        for _ in range(int(self.params["cg_steps"])):
            ap = a_times(p)
            step = rs_old / (p * ap).sum(1).clamp_min(1e-20)
            x = x + step[:, None] * p
            res = res - step[:, None] * ap
            rs_new = (res * res).sum(1)
            p = res + (rs_new / rs_old.clamp_min(1e-20))[:, None] * p
            rs_old = rs_new
        return x


class BPR(_FactorModel):
    """BPR-MF (Rendle et al. 2009, LearnBPR) with an item bias and uniform negative sampling.

    LearnBPR's stochastic gradient step, applied to a minibatch of triples at once (updates of repeated rows are
    summed): with ``g = sigma(-(x_ui - x_uj))``::

        w_u += lr (g (h_i - h_j) - reg w_u);  h_i += lr (g w_u - reg h_i);  h_j += lr (-g w_u - reg h_j)
        b_i += lr (g - reg b_i);              b_j += lr (-g - reg b_j)
    """

    name: ClassVar[str] = "bpr"
    default_params: ClassVar[dict[str, Any]] = {
        "factors": 64,
        "learning_rate": 0.05,
        "regularization": 0.002,
        "epochs": 20,
        "batch_size": 16384,
    }

    def _fit(self, matrix: sp.csr_matrix) -> None:
        dev = self.device
        f = int(self.params["factors"])
        reg = float(self.params["regularization"])
        lr = float(self.params["learning_rate"])
        n_users, n_items = matrix.shape
        gen = torch.Generator().manual_seed(self.seed)
        rng = np.random.default_rng(self.seed)
        w = (torch.randn(n_users, f, generator=gen) * 0.1).to(dev)
        h = (torch.randn(n_items, f, generator=gen) * 0.1).to(dev)
        bias = torch.zeros(n_items, device=dev)
        coo = matrix.tocoo()
        pos_u = coo.row.astype(np.int64)
        pos_i = coo.col.astype(np.int64)
        keys = np.sort(pos_u * n_items + pos_i)
        n_pos = pos_u.size
        bs = int(self.params["batch_size"])
        for _ in range(int(self.params["epochs"]) if n_pos else 0):
            perm = rng.permutation(n_pos)
            for start in range(0, n_pos, bs):
                sel = perm[start : start + bs]
                u, i = pos_u[sel], pos_i[sel]
                j = rng.integers(0, n_items, size=sel.size)
                for _retry in range(3):  # resample negatives that are actually positives
                    k = u * n_items + j
                    hit = keys[np.minimum(np.searchsorted(keys, k), keys.size - 1)] == k
                    if not hit.any():
                        break
                    j[hit] = rng.integers(0, n_items, size=int(hit.sum()))
                tu = torch.from_numpy(u).to(dev)
                ti = torch.from_numpy(i).to(dev)
                tj = torch.from_numpy(j).to(dev)
                wu, hi, hj, bi, bj = w[tu], h[ti], h[tj], bias[ti], bias[tj]
                g = torch.sigmoid(-((wu * (hi - hj)).sum(1) + bi - bj))
                gc = g[:, None]
                w.index_add_(0, tu, lr * (gc * (hi - hj) - reg * wu))
                h.index_add_(0, ti, lr * (gc * wu - reg * hi))
                h.index_add_(0, tj, lr * (-gc * wu - reg * hj))
                bias.index_add_(0, ti, lr * (g - reg * bi))
                bias.index_add_(0, tj, lr * (-g - reg * bj))
        self.user_factors = w.float().cpu()
        self.item_factors = h.float().cpu()
        self.item_bias = bias.float().cpu()
