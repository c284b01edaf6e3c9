"""The brand brief: what a creator asks for, and its validation."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field

from .colorspace import normalise_hex
from .lexicon import split_keywords
from .roles import MAX_K, MIN_K, NEUTRAL_ROLES, ROLES, chromatic_roles, distinct_roles, merges
from .scheme import SCHEME_CHOICES

#: Default weights of U = alpha H + beta V + gamma B (all three terms lie in [0, 1]): the one source of truth for
#: the engine, the CLI and the studio's brief form (``themes.selectors.default_weights`` falls back to these, and
#: the A/B feedback fit shrinks toward them). Equal weights; harmony's floor is the optimiser's penalty
#: (``objective.HARMONY_FLOOR``), so the creator's harmony slider trades off above that floor.
DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA = 1.0, 1.0, 1.0
#: Defaults sized so one brief finishes in under 2 s on a 2-core CPU (see bench/palette.py).
DEFAULT_STARTS, DEFAULT_STEPS = 384, 40
#: Brand colours a brief may carry (the palette shows the best K of them, see brand.brand_score_from) and locks.
MAX_SEEDS = 8
MAX_LOCKS = 8
MAX_CANDIDATES = 20
MAX_STARTS = 262_144
MAX_STEPS = 5_000


def parse_lock(value: object) -> tuple[str, str | None]:
    """A lock given as ``"#RRGGBB"``, ``"#RRGGBB:role"``, ``(hex, role)`` or ``{"hex": .., "role": ..}``."""
    if isinstance(value, str):
        hex_part, _, role = value.partition(":")
        return hex_part.strip(), (role.strip().lower() or None)
    if isinstance(value, dict):
        return value.get("hex", ""), value.get("role")
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return value[0], value[1]
    raise ValueError(f"lock {value!r} must be '#rrggbb', '#rrggbb:role' or a (hex, role) pair")


@dataclass
class Brief:
    """A palette request.

    brand_colors: 0-8 ``#rrggbb`` seeds (B(S) pulls towards them; with more seeds than chromatic roles the
        palette shows the K that fit best, "pick K of C").
    locks: 0-8 colours that must appear exactly (no more than the distinct roles of k), each ``(hex, role)`` with role one of :data:`ROLES` or
        ``None`` (= the first free chromatic role: primary, secondary, accent, ...). Strings ``"#hex:role"``
        are accepted too.
    keywords: free words (English or Chinese), a comma separated string or a list.
    k: colours per variant, 3-10 (see :mod:`themes.palette.roles` for merges below 6).
    alpha, beta, gamma: weights >= 0 of harmony, legibility and brand fit; not all zero.
    seed: random seed; results are deterministic for a seed and device.
    candidates: how many diverse palettes to return, 1-20.
    starts, steps: multi-start batch size and optimiser steps.
    device: ``"auto"`` (cuda when available), ``"cpu"`` or ``"cuda"``.
    deadline_s: wall-clock budget; the optimiser stops early and still returns valid palettes.
    scheme: where secondary/accent hues go relative to the primary's: ``auto`` (from the keywords, default
        analogous), ``analogous``, ``complementary``, ``split-complementary`` or ``triadic``
        (:mod:`themes.palette.scheme`).
    terms: extra differentiable objective terms (:class:`themes.palette.objective.Term`) that steer the
        optimiser; their values are reported in each candidate's scores.
    """

    brand_colors: list[str] = field(default_factory=list)
    locks: list = field(default_factory=list)
    keywords: str | list[str] = ""
    k: int = 6
    alpha: float = DEFAULT_ALPHA
    beta: float = DEFAULT_BETA
    gamma: float = DEFAULT_GAMMA
    seed: int = 0
    candidates: int = 5
    starts: int = DEFAULT_STARTS
    steps: int = DEFAULT_STEPS
    device: str = "auto"
    deadline_s: float | None = None
    scheme: str = "auto"
    terms: list = field(default_factory=list)

    def validate(self) -> Brief:
        """Check every field; raise ``ValueError`` with a message a creator can act on. Returns self.

        Also checks that every lock can be honoured (in the light or the dark variant) under the hard
        contrast constraints; if not, the message names the nearest feasible colour.
        """
        self._validate_fields()
        from .plan import plan_locks  # local import: the plan needs torch

        plan_locks(self)
        return self

    def _validate_fields(self) -> None:
        _int_in("k", self.k, MIN_K, MAX_K, "the number of colours per variant")
        _int_in("candidates", self.candidates, 1, MAX_CANDIDATES, "how many palettes to return")
        _int_in("starts", self.starts, 1, MAX_STARTS, "random starts")
        _int_in("steps", self.steps, 1, MAX_STEPS, "optimiser steps")
        _int_in("seed", self.seed, 0, 2**63 - 1, "the random seed")
        for name in ("alpha", "beta", "gamma"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a number >= 0 (got {value!r})")
        if self.alpha == 0 and self.beta == 0 and self.gamma == 0:
            raise ValueError(
                "alpha, beta and gamma are all 0: at least one weight must be positive "
                f"(defaults {DEFAULT_ALPHA}, {DEFAULT_BETA}, {DEFAULT_GAMMA})"
            )
        if self.deadline_s is not None and (
            isinstance(self.deadline_s, bool)
            or not isinstance(self.deadline_s, numbers.Real)
            or not self.deadline_s > 0
        ):
            raise ValueError(f"deadline_s must be a positive number of seconds or None (got {self.deadline_s!r})")
        device = self.device if isinstance(self.device, str) else ""
        if not (device in ("auto", "cpu", "cuda") or (device.startswith("cuda:") and device[5:].isascii() and device[5:].isdigit())):
            raise ValueError(f"device must be 'auto', 'cpu' or 'cuda' (got {self.device!r})")
        split_keywords(self.keywords)
        if self.scheme not in SCHEME_CHOICES:
            raise ValueError(f"scheme must be one of: {', '.join(SCHEME_CHOICES)} (got {self.scheme!r})")
        _validate_terms(self.terms)
        colors = list(self.brand_colors or [])
        if len(colors) > MAX_SEEDS:
            raise ValueError(f"at most {MAX_SEEDS} brand colours are allowed (got {len(colors)}); keep the main ones")
        for value in colors:
            _hex("brand colour", value)
        self.resolved_locks()

    def brand_hexes(self) -> list[str]:
        """Brand seeds and locked colours, normalised, without duplicates (brand colours first)."""
        out: list[str] = []
        for value in list(self.brand_colors or []) + [h for h, _ in self.resolved_locks()]:
            h = normalise_hex(value)
            if h not in out:
                out.append(h)
        return out

    def resolved_locks(self) -> list[tuple[str, str]]:
        """Locks as ``(#RRGGBB, role)`` with every role assigned; raises ``ValueError`` on bad locks."""
        raw = [parse_lock(v) for v in (self.locks or [])]
        if len(raw) > MAX_LOCKS:
            raise ValueError(f"at most {MAX_LOCKS} colours can be locked (got {len(raw)})")
        k = self.k
        roles_k = distinct_roles(k)
        merged = merges(k)
        locks: list[tuple[str, str | None]] = []
        for hex_value, role in raw:
            h = _hex("locked colour", hex_value)
            if role is not None:
                role = str(role).strip().lower()
                if role not in ROLES:
                    raise ValueError(f"lock role {role!r} for {h} is not one of: {', '.join(ROLES)}")
                if role in merged:
                    raise ValueError(
                        f"role {role!r} is merged into {merged[role]!r} when k={k}; "
                        f"lock {h} as {merged[role]!r} or use k >= 6"
                    )
                if role not in roles_k:
                    raise ValueError(
                        f"role {role!r} does not exist when k={k} (roles: {', '.join(roles_k)}); raise k or lock another role"
                    )
            if any(h == other for other, _ in locks):
                raise ValueError(f"colour {h} is locked twice; lock each colour once")
            locks.append((h, role))
        if len(locks) > len(roles_k):
            raise ValueError(
                f"too many locks for k={k}: {len(locks)} locked colours but only {len(roles_k)} distinct roles; raise k"
            )
        taken = [r for _, r in locks if r is not None]
        for role in set(taken):
            if taken.count(role) > 1:
                raise ValueError(f"two locks ask for role {role!r}; each role takes one colour")
        free = [r for r in chromatic_roles(k) if r not in taken]
        unassigned = [h for h, r in locks if r is None]
        if len(unassigned) > len(free):
            raise ValueError(
                f"too many locks without a role for k={k}: only {len(free)} brand role(s) "
                f"({', '.join(free) or 'none'}) are free for {', '.join(unassigned)}; give roles explicitly "
                f"(e.g. '{unassigned[-1]}:{NEUTRAL_ROLES[0]}') or raise k"
            )
        out: list[tuple[str, str]] = []
        for h, role in locks:
            if role is None:
                role = free.pop(0)
            out.append((h, role))
        return out


def _validate_terms(terms: object) -> None:
    names: set[str] = set()
    for term in list(terms or []):
        name, weight, fn = getattr(term, "name", None), getattr(term, "weight", None), getattr(term, "fn", None)
        if not isinstance(name, str) or not name or name in {"U", "H", "V", "B"} or name in names:
            raise ValueError(f"objective term name {name!r} must be a new non-empty name other than U, H, V, B")
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real) or not math.isfinite(weight):
            raise ValueError(f"objective term {name!r}: weight must be a finite number (got {weight!r})")
        if not callable(fn):
            raise ValueError(f"objective term {name!r}: fn must be callable fn(light, dark) -> scores")
        names.add(name)


def _hex(what: str, value: object) -> str:
    try:
        return normalise_hex(value)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a #rrggbb hex colour (for example #1E88E5)") from None


def _int_in(name: str, value: object, lo: int, hi: int, meaning: str) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not lo <= value <= hi:
        raise ValueError(f"{name} ({meaning}) must be a whole number from {lo} to {hi} (got {value!r})")
