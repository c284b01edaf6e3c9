"""Pure torch/numpy recommender engine: datasets, models, metrics and offline evaluation.

Imports no Django, Celery or project settings. The Django side uses this small public API::

    build_dataset(rows, weights=None, half_life_days=None) -> InteractionMatrix
    make_model(name, **params) -> Recommender        # MODEL_NAMES, DEFAULT_MODEL, DEFAULT_PARAMS
    train_default(interactions, item_features=None) -> (Recommender, Selection)   # what the platform trains
    fit_model(name, params, interactions, item_features=None) -> Recommender       # refit a stored setting
    explain(model, history_row, item) -> Explanation   # truthful "because you took X" (or none)
    Recommender.load(directory) -> Recommender       # sha256-checked, weights_only=True
    evaluate(model, train, test, ks=(10, 20)) -> EvaluationResult
"""

from __future__ import annotations

from typing import Any

ENGINE_VERSION = "1.0.0"

from .dataset import (  # noqa: E402
    DEFAULT_EVENT_WEIGHTS,
    EVENT_TYPES,
    InteractionMatrix,
    Interactions,
    build_dataset,
    build_interactions,
)
from .evaluation import EvaluationResult, evaluate  # noqa: E402
from .models import MODEL_NAMES, ArtifactError, Recommender, make_model  # noqa: E402

#: The model the platform trains. Its parameters are *not* fixed: every training run chooses them on a validation
#: split carved from its own training interactions (:func:`train_default`, :mod:`recommender.engine.selection`).
#: :data:`DEFAULT_PARAMS` only serve when there is too little data to carve a validation split.
DEFAULT_MODEL = "blend"
DEFAULT_PARAMS: dict[str, Any] = {"l2": 500.0, "knn_weight": 0.0, "neighbours": 100, "side_weight": 0.0,
                                  "recency_half_life": 0.0}


def make_default_model(**overrides: Any) -> Recommender:
    """The platform's model with the fallback parameters (``overrides`` win); training selects its own."""
    return make_model(DEFAULT_MODEL, **{**DEFAULT_PARAMS, **overrides})


from .explain import Explanation, explain  # noqa: E402
from .selection import Selection, fit_model  # noqa: E402
from .selection import fit_default as train_default  # noqa: E402

__all__ = [
    "ArtifactError", "DEFAULT_EVENT_WEIGHTS", "DEFAULT_MODEL", "DEFAULT_PARAMS", "ENGINE_VERSION", "EVENT_TYPES",
    "EvaluationResult", "Explanation", "InteractionMatrix", "Interactions", "MODEL_NAMES", "Recommender",
    "Selection", "build_dataset", "build_interactions", "evaluate", "explain", "fit_model", "make_default_model",
    "make_model", "train_default",
]
