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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Recommender

ENGINE_VERSION = "1.0.0"

#: The model the platform trains. Its parameters are *not* fixed: every training run chooses them on a validation
#: split carved from its own training interactions (:func:`train_default`, :mod:`recommender.engine.selection`).
#: :data:`DEFAULT_PARAMS` only serve when there is too little data to carve a validation split.
DEFAULT_MODEL = "blend"
DEFAULT_PARAMS: dict[str, Any] = {"l2": 500.0, "knn_weight": 0.0, "neighbours": 100, "side_weight": 0.0,
                                  "recency_half_life": 0.0}

# The public names load their submodule on first use (PEP 562): the web tier imports the numpy-only parts
# (interleaving, explain, dataset) without pulling in torch, which only models, evaluation and selection need.
_LAZY: dict[str, tuple[str, str]] = {
    **{name: (".dataset", name) for name in ("DEFAULT_EVENT_WEIGHTS", "EVENT_TYPES", "InteractionMatrix",
                                             "Interactions", "build_dataset", "build_interactions", "EventLog",
                                             "EventLogBuilder")},
    **{name: (".evaluation", name) for name in ("EvaluationResult", "evaluate")},
    **{name: (".models", name) for name in ("MODEL_NAMES", "ArtifactError", "Recommender", "make_model")},
    **{name: (".explain", name) for name in ("Explanation", "explain")},
    **{name: (".selection", name) for name in ("Selection", "fit_model")},
    "train_default": (".selection", "fit_default"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value
    return value


def make_default_model(**overrides: Any) -> Recommender:
    """The platform's model with the fallback parameters (``overrides`` win); training selects its own."""
    from .models import make_model

    return make_model(DEFAULT_MODEL, **{**DEFAULT_PARAMS, **overrides})


__all__ = [
    "ArtifactError", "DEFAULT_EVENT_WEIGHTS", "DEFAULT_MODEL", "DEFAULT_PARAMS", "ENGINE_VERSION", "EVENT_TYPES",
    "EvaluationResult", "EventLog", "EventLogBuilder", "Explanation", "InteractionMatrix", "Interactions", "MODEL_NAMES", "Recommender",
    "Selection", "build_dataset", "build_interactions", "evaluate", "explain", "fit_model", "make_default_model",
    "make_model", "train_default",
]
