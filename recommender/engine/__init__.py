"""Pure torch/numpy recommender engine: datasets, models, metrics and offline evaluation.

Imports no Django, Celery or project settings. The Django side uses this small public API::

    build_dataset(rows, weights=None, half_life_days=None) -> InteractionMatrix
    make_model(name, **params) -> Recommender        # MODEL_NAMES, DEFAULT_MODEL, DEFAULT_PARAMS
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

#: The model the platform trains by default and its default hyper-parameters. Chosen with
#: :func:`recommender.engine.tuning.tune` on validation splits carved from the *training* part of ML-1M positives
#: (never the test part): NDCG@10 on validation, leave-last-out / random 80-20 -- EASE l2=500: 0.0501 / 0.2145
#: (l2=250: 0.0501 / 0.2100; l2=1000: 0.0487 / 0.2143); best iALS (reg 30, alpha 5): 0.0503 / 0.2015;
#: ItemKNN: 0.0394 / 0.1925. EASE ties iALS under leave-last-out and wins under random, so it is the default.
DEFAULT_MODEL = "ease"
DEFAULT_PARAMS: dict[str, Any] = {"l2": 500.0}


def make_default_model(**overrides: Any) -> Recommender:
    """The platform's default model with its default parameters (``overrides`` win)."""
    return make_model(DEFAULT_MODEL, **{**DEFAULT_PARAMS, **overrides})


__all__ = [
    "ArtifactError", "DEFAULT_EVENT_WEIGHTS", "DEFAULT_MODEL", "DEFAULT_PARAMS", "ENGINE_VERSION", "EVENT_TYPES",
    "EvaluationResult", "InteractionMatrix", "Interactions", "MODEL_NAMES", "Recommender", "build_dataset",
    "build_interactions", "evaluate", "make_default_model", "make_model",
]
