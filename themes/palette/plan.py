"""Where each locked colour can live: polarity decisions made before optimising.

Physics first: a primary needs 3:1 against its background, so a brand colour with relative luminance above
0.30 can never be an exact primary on a light background and one below 0.10 never on a dark one. For every
brief the plan decides, with the same repair code that later guarantees the result:

- a locked ``primary`` stays exact in every variant where that is feasible (light, dark or both); in the
  other variant the repair applies the smallest change along its path and the result reports the CIEDE2000;
- a locked neutral (``background``, ``surface``, ``text``) belongs to the variant where it is feasible (light
  tried first); the other variant chooses that role freely;
- locked ``secondary``/``accent*`` colours carry no hard constraint and stay exact in both variants.

A lock that fits nowhere raises ``ValueError`` naming the nearest feasible colour along the darken/lighten
paths of :mod:`themes.palette.repair`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from .colorspace import delta_e_2000, hex_to_linear, linear_to_hex, linear_to_lab
from .repair import path, repair_variant
from .roles import NEUTRAL_ROLES, chromatic_roles, surface_merged

#: Start values for the feasibility scaffold (free slots get repaired, so only their direction matters).
_SCAFFOLD = {
    "light": ("#FFFFFF", "#F2F2F2", "#000000"),
    "dark": ("#000000", "#1C1C1C", "#FFFFFF"),
}
_PLACEHOLDER_PRIMARY = "#808080"


@dataclass
class Plan:
    """Lock placement. ``neutral_locks[variant]`` maps row index (0 bg, 1 surface, 2 text) to hex;
    ``chrom_locks`` maps chromatic index (0 = primary) to hex; ``primary_exact[variant]`` says whether a locked
    primary is kept exact in that variant."""

    k: int
    chrom_roles: list[str]
    neutral_locks: dict[str, dict[int, str]] = field(default_factory=lambda: {"light": {}, "dark": {}})
    chrom_locks: dict[int, str] = field(default_factory=dict)
    primary_exact: dict[str, bool] = field(default_factory=lambda: {"light": False, "dark": False})
    surface_merged: bool = False

    @property
    def n_chrom(self) -> int:
        return len(self.chrom_roles)

    def fixed_rows(self, variant: str) -> set[int]:
        """Rows of a variant palette that repair must not move."""
        rows = set(self.neutral_locks[variant])
        if 0 in self.chrom_locks and self.primary_exact[variant]:
            rows.add(3)
        return rows

    def scaffold(self, variant: str, primaries: torch.Tensor | None = None) -> torch.Tensor:
        """A (M, 3 + n_chrom, 3) palette honouring this plan's locks, for feasibility checks and fallbacks."""
        hexes = list(_SCAFFOLD[variant])
        for row, h in self.neutral_locks[variant].items():
            hexes[row] = h
        chrom = [self.chrom_locks.get(i, _PLACEHOLDER_PRIMARY) for i in range(self.n_chrom)]
        pal = hex_to_linear(hexes + chrom)[None]
        if primaries is not None:
            pal = pal.expand(primaries.shape[0], -1, -1).clone()
            pal[:, 3] = primaries
        return pal


def _feasible(plan: Plan, variant: str, rows: set[int], pal: torch.Tensor) -> torch.Tensor:
    _, ok = repair_variant(pal, variant, rows, plan.surface_merged)
    return ok


def _nearest_feasible(hex_value: str, test) -> tuple[str, float] | None:
    """Nearest colour to ``hex_value`` along darken/lighten paths for which ``test`` (M, 3) -> (M,) holds."""
    c = hex_to_linear(hex_value)
    grid = torch.linspace(0.0, 1.0, 201, dtype=c.dtype)
    best: tuple[str, float] | None = None
    for direction in ("darken", "lighten"):
        cand = path(c.expand(201, 3), grid, direction)
        good = test(cand)
        if good.any():
            chosen = cand[int(good.float().argmax())]
            h = linear_to_hex(chosen[None])[0]
            d = float(delta_e_2000(linear_to_lab(hex_to_linear(h)), linear_to_lab(c)))
            if best is None or d < best[1]:
                best = (h, d)
    return best


def plan_locks(brief) -> Plan:
    """Decide lock placement for a (field-validated) brief; raise ``ValueError`` for an impossible lock."""
    k = brief.k
    plan = Plan(k=k, chrom_roles=chromatic_roles(k), surface_merged=surface_merged(k))
    for h, role in brief.resolved_locks():
        if role in plan.chrom_roles:
            plan.chrom_locks[plan.chrom_roles.index(role)] = h
    for h, role in brief.resolved_locks():
        if role not in NEUTRAL_ROLES:
            continue
        row = NEUTRAL_ROLES.index(role)
        placed = False
        for variant in ("light", "dark"):
            if row in plan.neutral_locks[variant]:
                continue
            plan.neutral_locks[variant][row] = h
            if bool(_feasible(plan, variant, set(plan.neutral_locks[variant]), plan.scaffold(variant))[0]):
                placed = True
                break
            del plan.neutral_locks[variant][row]
        if not placed:

            def test(cands: torch.Tensor, row: int = row) -> torch.Tensor:
                good = torch.zeros(cands.shape[0], dtype=torch.bool)
                for variant in ("light", "dark"):
                    if row in plan.neutral_locks[variant]:
                        continue
                    pal = plan.scaffold(variant).expand(cands.shape[0], -1, -1).clone()
                    pal[:, row] = cands
                    good |= _feasible(plan, variant, set(plan.neutral_locks[variant]) | {row}, pal)
                return good

            _raise_infeasible(h, role, test)
    if 0 in plan.chrom_locks:
        h = plan.chrom_locks[0]
        for variant in ("light", "dark"):
            rows = set(plan.neutral_locks[variant]) | {3}
            plan.primary_exact[variant] = bool(_feasible(plan, variant, rows, plan.scaffold(variant))[0])
        if not any(plan.primary_exact.values()):

            def test(cands: torch.Tensor) -> torch.Tensor:
                good = torch.zeros(cands.shape[0], dtype=torch.bool)
                for variant in ("light", "dark"):
                    rows = set(plan.neutral_locks[variant]) | {3}
                    good |= _feasible(plan, variant, rows, plan.scaffold(variant, cands))
                return good

            _raise_infeasible(h, "primary", test)
    return plan


def _raise_infeasible(h: str, role: str, test) -> None:
    nearest = _nearest_feasible(h, test)
    hint = (
        f" The nearest feasible colour is {nearest[0]} (CIEDE2000 {nearest[1]:.1f} away); lock that instead, "
        "or lock the colour in another role."
        if nearest
        else " Lock it in another role."
    )
    raise ValueError(
        f"locked colour {h} cannot be the {role}: with it, text cannot reach 4.5:1 on background and surface "
        f"and primary 3:1 on background in either a light or a dark palette.{hint}"
    )
