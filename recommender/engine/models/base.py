"""The one small interface every recommender implements, plus device selection and safe persistence.

Artifacts are a ``weights.pt`` file holding a flat ``dict[str, torch.Tensor]`` (``torch.save``) and a
``metadata.json`` with the algorithm, its parameters and the sha256 of the weights file. Loading verifies the
hash first and then uses ``torch.load(..., weights_only=True)`` so a tampered or foreign file never executes code.
"""

from __future__ import annotations

import hashlib
import json
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
import torch

from ..dataset import InteractionMatrix

WEIGHTS_FILE = "weights.pt"
METADATA_FILE = "metadata.json"
FORMAT_VERSION = 1


class ArtifactError(RuntimeError):
    """A saved model directory is missing, malformed or fails its sha256 check."""


def resolve_device(device: str = "auto") -> torch.device:
    """``"auto"`` -> cuda when available else cpu; ``"cpu"``; ``"cuda"`` (error if unavailable)."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device 'cuda' requested but torch.cuda.is_available() is False")
    if device not in ("cpu", "cuda") and not device.startswith("cuda:"):
        raise ValueError(f"unknown device {device!r}; use auto, cpu or cuda")
    return torch.device(device)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def as_csr(matrix: InteractionMatrix | sp.spmatrix | np.ndarray) -> sp.csr_matrix:
    """Accept an :class:`InteractionMatrix`, any scipy sparse matrix or a dense array."""
    if isinstance(matrix, InteractionMatrix):
        matrix = matrix.matrix
    m = sp.csr_matrix(matrix, dtype=np.float32)
    m.sum_duplicates()
    m.sort_indices()
    return m


def csr_to_state(m: sp.csr_matrix, prefix: str) -> dict[str, torch.Tensor]:
    return {
        f"{prefix}_indptr": torch.from_numpy(m.indptr.astype(np.int64)),
        f"{prefix}_indices": torch.from_numpy(m.indices.astype(np.int64)),
        f"{prefix}_data": torch.from_numpy(m.data.astype(np.float32)),
        f"{prefix}_shape": torch.tensor(m.shape, dtype=torch.int64),
    }


def csr_from_state(state: dict[str, torch.Tensor], prefix: str) -> sp.csr_matrix:
    shape = tuple(int(x) for x in state[f"{prefix}_shape"].tolist())
    return sp.csr_matrix(
        (state[f"{prefix}_data"].numpy(), state[f"{prefix}_indices"].numpy(), state[f"{prefix}_indptr"].numpy()),
        shape=shape,
    )


def top_n(scores: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top-n (indices, scores), best first; ``-inf`` entries are never returned (rows may be short)."""
    n = min(n, scores.shape[1])
    if n <= 0:
        return np.zeros((scores.shape[0], 0), np.int64), np.zeros((scores.shape[0], 0), np.float32)
    t = torch.from_numpy(np.ascontiguousarray(scores))
    vals, idx = torch.topk(t, n, dim=1, largest=True, sorted=True)
    return idx.numpy(), vals.numpy()


class Recommender(ABC):
    """Abstract base: ``fit`` on a user x item confidence matrix, then ``recommend`` by row/column index."""

    name: ClassVar[str] = "base"
    default_params: ClassVar[dict[str, Any]] = {}

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(self.default_params) - {"device", "seed"}
        if unknown:
            raise TypeError(f"{self.name}: unknown parameter(s) {sorted(unknown)}")
        self.params: dict[str, Any] = {**self.default_params, **params}
        self.seed: int = int(self.params.pop("seed", 0) or 0)
        self.device_name: str = str(self.params.pop("device", "auto") or "auto")
        self.user_items: sp.csr_matrix | None = None
        self.fit_seconds: float = 0.0
        self.fit_device: str = ""

    # -- to implement ------------------------------------------------------------------------------------
    @abstractmethod
    def _fit(self, matrix: sp.csr_matrix) -> None: ...

    @abstractmethod
    def _scores(self, user_indices: np.ndarray) -> np.ndarray:
        """Dense float32 ``len(user_indices) x n_items`` scores (higher is better)."""

    @abstractmethod
    def _item_vectors_similarity(self, item_index: int) -> np.ndarray:
        """Similarity of ``item_index`` to every item (float32 vector of length n_items)."""

    @abstractmethod
    def _score_rows(self, rows: sp.csr_matrix) -> np.ndarray:
        """Scores for users given only as interaction rows (``k x n_items``), not necessarily in training."""

    @abstractmethod
    def _state(self) -> dict[str, torch.Tensor]: ...

    @abstractmethod
    def _load_state(self, state: dict[str, torch.Tensor]) -> None: ...

    # -- public API ---------------------------------------------------------------------------------------
    @property
    def device(self) -> torch.device:
        return resolve_device(self.device_name)

    @property
    def n_users(self) -> int:
        return 0 if self.user_items is None else int(self.user_items.shape[0])

    @property
    def n_items(self) -> int:
        return 0 if self.user_items is None else int(self.user_items.shape[1])

    def fit(self, matrix: InteractionMatrix | sp.spmatrix | np.ndarray) -> Recommender:
        """Fit on a user x item confidence matrix; deterministic for a given ``seed``."""
        import time

        csr = as_csr(matrix)
        self.user_items = csr
        torch.manual_seed(self.seed)
        start = time.perf_counter()
        self._fit(csr)
        self.fit_seconds = time.perf_counter() - start
        self.fit_device = str(self.device)
        return self

    def _check_fitted(self) -> None:
        if self.user_items is None:
            raise RuntimeError(f"{self.name}: call fit() or load() first")

    def score_users(self, user_indices: Sequence[int] | np.ndarray, filter_seen: bool = True) -> np.ndarray:
        """Dense score matrix for some users; items they interacted with get ``-inf`` when ``filter_seen``."""
        self._check_fitted()
        users = np.asarray(user_indices, dtype=np.int64)
        scores = np.array(self._scores(users), dtype=np.float32, copy=True)
        if filter_seen and users.size:
            seen = self.user_items[users]  # type: ignore[index]
            rows = np.repeat(np.arange(users.size), np.diff(seen.indptr))
            scores[rows, seen.indices] = -np.inf
        return scores

    def recommend_batch(
        self,
        user_indices: Sequence[int] | np.ndarray,
        n: int = 10,
        exclude: Sequence[set[int] | None] | None = None,
        filter_seen: bool = True,
    ) -> list[list[tuple[int, float]]]:
        """Top-``n`` ``(item_index, score)`` lists, best first, one per user; ``exclude[k]`` removes items too."""
        scores = self.score_users(user_indices, filter_seen=filter_seen)
        if exclude is not None:
            for row, items in enumerate(exclude):
                if items:
                    scores[row, list(items)] = -np.inf
        idx, vals = top_n(scores, n)
        out: list[list[tuple[int, float]]] = []
        for r in range(idx.shape[0]):
            out.append([(int(i), float(v)) for i, v in zip(idx[r], vals[r], strict=True) if np.isfinite(v)])
        return out

    def recommend_all(
        self, n: int = 10, batch_size: int = 1024, filter_seen: bool = True
    ) -> Iterator[tuple[int, list[tuple[int, float]]]]:
        """Yield ``(user_index, top-n list)`` for every trained user, scoring ``batch_size`` users at a time."""
        self._check_fitted()
        for start in range(0, self.n_users, batch_size):
            users = np.arange(start, min(start + batch_size, self.n_users))
            yield from zip(users.tolist(), self.recommend_batch(users, n, filter_seen=filter_seen), strict=True)

    def recommend(
        self, user_index: int, n: int = 10, exclude: set[int] | None = None, filter_seen: bool = True
    ) -> list[tuple[int, float]]:
        """Top-``n`` ``(item_index, score)`` for one user, best first, never an excluded or (by default) seen item."""
        return self.recommend_batch([user_index], n, [exclude], filter_seen)[0]

    def score_history(self, item_indices: Sequence[int], weights: Sequence[float] | None = None) -> np.ndarray:
        """Scores for an ad-hoc user known only by items (a new learner, or fresh activity not yet trained on).

        Neighbourhood models and EASE apply their item-item weights to the history; iALS folds the user in with
        one exact least-squares solve (Hu et al. 2008, eq. 4); BPR uses the mean of the history's item factors.
        """
        self._check_fitted()
        items = np.asarray(list(item_indices), dtype=np.int64)
        vals = np.ones(items.size, np.float32) if weights is None else np.asarray(weights, np.float32)
        row = sp.csr_matrix((vals, (np.zeros(items.size, np.int64), items)), shape=(1, self.n_items))
        row.sum_duplicates()
        return np.array(self._score_rows(row), dtype=np.float32, copy=True).reshape(-1)

    def recommend_history(
        self, item_indices: Sequence[int], n: int = 10, exclude: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Top-``n`` for an ad-hoc history (see :meth:`score_history`); history and ``exclude`` are left out."""
        scores = self.score_history(item_indices)
        drop = set(int(i) for i in item_indices) | set(exclude or ())
        if drop:
            scores[list(drop)] = -np.inf
        idx, vals = top_n(scores[None, :], n)
        return [(int(i), float(v)) for i, v in zip(idx[0], vals[0], strict=True) if np.isfinite(v)]

    def similar_items(self, item_index: int, n: int = 10) -> list[tuple[int, float]]:
        """The ``n`` items most similar to ``item_index`` (itself excluded), best first."""
        self._check_fitted()
        sims = np.array(self._item_vectors_similarity(int(item_index)), dtype=np.float32, copy=True)
        sims[int(item_index)] = -np.inf
        idx, vals = top_n(sims[None, :], n)
        return [(int(i), float(v)) for i, v in zip(idx[0], vals[0], strict=True) if np.isfinite(v)]

    # -- persistence ------------------------------------------------------------------------------------
    def metadata(self) -> dict[str, Any]:
        from .. import ENGINE_VERSION

        return {
            "algorithm": self.name,
            "params": self.params,
            "seed": self.seed,
            "engine_version": ENGINE_VERSION,
            "format_version": FORMAT_VERSION,
            "n_users": self.n_users,
            "n_items": self.n_items,
            "fit_seconds": round(self.fit_seconds, 4),
            "device": self.fit_device,
            "weights_file": WEIGHTS_FILE,
        }

    def save(self, directory: str | os.PathLike[str], overwrite: bool = False) -> Path:
        """Write ``weights.pt`` (dict of CPU tensors) and ``metadata.json`` (with its sha256) into ``directory``.

        Artifacts are immutable: saving into a directory that already holds a model raises :class:`ArtifactError`
        unless ``overwrite`` is true.
        """
        self._check_fitted()
        d = Path(directory)
        if not overwrite and ((d / METADATA_FILE).exists() or (d / WEIGHTS_FILE).exists()):
            raise ArtifactError(f"{d}: already holds a saved model (artifacts are immutable)")
        d.mkdir(parents=True, exist_ok=True)
        state = {k: v.detach().cpu().contiguous() for k, v in self._state().items()}
        state.update(csr_to_state(self.user_items, "user_items"))  # type: ignore[arg-type]
        weights = d / WEIGHTS_FILE
        torch.save(state, weights)
        meta = self.metadata()
        meta["sha256"] = sha256_file(weights)
        (d / METADATA_FILE).write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        return d

    @classmethod
    def load(cls, directory: str | os.PathLike[str], device: str = "cpu") -> Recommender:
        """Load a saved model, verifying the sha256 of the weights before unpickling-free ``torch.load``."""
        from . import MODEL_CLASSES

        d = Path(directory)
        try:
            meta = json.loads((d / METADATA_FILE).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ArtifactError(f"{d}: no {METADATA_FILE}") from exc
        except json.JSONDecodeError as exc:
            raise ArtifactError(f"{d / METADATA_FILE}: not valid JSON ({exc})") from exc
        algo = meta.get("algorithm")
        klass = MODEL_CLASSES.get(algo)
        if klass is None:
            raise ArtifactError(f"{d}: unknown algorithm {algo!r}")
        if cls is not Recommender and not issubclass(klass, cls):
            raise ArtifactError(f"{d}: holds a {algo!r} model, not {cls.name!r}")
        weights = d / str(meta.get("weights_file", WEIGHTS_FILE))
        if not weights.is_file():
            raise ArtifactError(f"{d}: weights file {weights.name} is missing")
        actual = sha256_file(weights)
        if actual != meta.get("sha256"):
            raise ArtifactError(
                f"{weights}: sha256 mismatch (metadata says {meta.get('sha256')}, file is {actual}); "
                "the artifact was modified or corrupted"
            )
        state = torch.load(weights, map_location="cpu", weights_only=True)
        model = klass(**meta.get("params", {}), seed=meta.get("seed", 0), device=device)
        model.user_items = csr_from_state(state, "user_items")
        model._load_state(state)
        model.fit_seconds = float(meta.get("fit_seconds", 0.0))
        return model
