"""Recommender implementations behind the :class:`~.base.Recommender` interface, and a name registry."""

from __future__ import annotations

from typing import Any

from .base import ArtifactError, Recommender, resolve_device
from .blend import Blend
from .ease import EASE
from .factor import BPR, IALS
from .simple import ItemKNN, Popularity

MODEL_CLASSES: dict[str, type[Recommender]] = {
    cls.name: cls for cls in (Popularity, ItemKNN, IALS, BPR, EASE, Blend)
}
MODEL_NAMES: tuple[str, ...] = tuple(MODEL_CLASSES)


def make_model(name: str, **params: Any) -> Recommender:
    """Instantiate a model by registry name (``pop``, ``itemknn``, ``ials``, ``bpr``, ``ease``, ``blend``)."""
    try:
        cls = MODEL_CLASSES[name]
    except KeyError:
        raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}") from None
    return cls(**params)


__all__ = [
    "ArtifactError", "BPR", "Blend", "EASE", "IALS", "ItemKNN", "MODEL_CLASSES", "MODEL_NAMES", "Popularity",
    "Recommender", "make_model", "resolve_device",
]
