"""Deterministic assignment of visitors to variants (pure: no Django).

A visitor's bucket is ``sha256("<experiment id>:<visitor key>")`` read as a number in [0, 1); the variant is
the first whose cumulative share exceeds the bucket. The same visitor always lands in the same variant of
the same experiment (no state is stored), different experiments hash independently, and a share of 0.3
receives 30 % of visitors up to sampling noise. The visitor key is ``"u:<user id>"`` for a signed-in
learner and ``"s:<session key>"`` for an anonymous visitor (so signing in may move a visitor once; the
analysis counts each key as one visitor).
"""

import hashlib
from collections.abc import Sequence

#: hex digits read from the digest: 60 bits, far finer than any share anyone will set
_DIGITS = 15
_SCALE = float(16**_DIGITS)


def bucket(experiment_id: int | str, visitor_key: str) -> float:
    """A stable, uniformly distributed number in [0, 1) for this visitor in this experiment."""
    digest = hashlib.sha256(f"{experiment_id}:{visitor_key}".encode()).hexdigest()
    return int(digest[:_DIGITS], 16) / _SCALE


def assign(experiment_id: int | str, visitor_key: str, variants: Sequence[tuple[str, float]]) -> str:
    """The key of the variant ``visitor_key`` sees; ``variants`` is ``[(key, share), …]`` with shares summing to 1.

    Variants are taken in the given order (callers pass them sorted by key, so the order is stable).
    """
    if not variants:
        raise ValueError("an experiment needs at least one variant")
    if not visitor_key:
        raise ValueError("a visitor key is required")
    point = bucket(experiment_id, visitor_key)
    total = sum(float(share) for _key, share in variants)
    cumulative = 0.0
    for key, share in variants:
        cumulative += float(share) / total
        if point < cumulative:
            return key
    return variants[-1][0]  # floating-point rounding at the very top of [0, 1)
