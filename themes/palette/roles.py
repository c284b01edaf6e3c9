"""Palette roles and how K colours map onto them.

Every palette has a light and a dark variant; each variant has K distinct colours. The first three roles are
neutrals (``background``, ``surface``, ``text``); the rest are chromatic (``primary``, ``secondary``,
``accent``, then ``accent2`` ... ``accent5`` for K = 7 ... 10).

K < 6 merges roles; the merged role still appears in the output, carrying the colour of the role it merges
into, so consumers can always read all six core roles:

======  ===========================================  ==========================================
K       distinct roles                               merged roles
======  ===========================================  ==========================================
6-10    background surface text primary secondary     -
        accent (+ accent2 ... accent5)
5       background surface text primary accent        secondary -> primary
4       background surface text primary               secondary, accent -> primary
3       background text primary                       surface -> background; secondary, accent ->
                                                      primary
======  ===========================================  ==========================================

With K = 3 the background/surface difference constraint does not apply (they are one colour).
"""

from __future__ import annotations

ROLES: tuple[str, ...] = (
    "background",
    "surface",
    "text",
    "primary",
    "secondary",
    "accent",
    "accent2",
    "accent3",
    "accent4",
    "accent5",
)
NEUTRAL_ROLES: tuple[str, ...] = ROLES[:3]
CORE_ROLES: tuple[str, ...] = ROLES[:6]
MIN_K, MAX_K = 3, 10

_MERGES: dict[int, dict[str, str]] = {
    5: {"secondary": "primary"},
    4: {"secondary": "primary", "accent": "primary"},
    3: {"surface": "background", "secondary": "primary", "accent": "primary"},
}


def merges(k: int) -> dict[str, str]:
    """Merged role -> the role whose colour it carries, for K colours."""
    return dict(_MERGES.get(k, {}))


def distinct_roles(k: int) -> list[str]:
    """The K roles that get their own colour."""
    if k >= 6:
        return list(ROLES[:k])
    merged = merges(k)
    return [r for r in CORE_ROLES if r not in merged]


def chromatic_roles(k: int) -> list[str]:
    """Distinct chromatic roles for K, primary first."""
    return [r for r in distinct_roles(k) if r not in NEUTRAL_ROLES]


def output_roles(k: int) -> list[str]:
    """Roles present in the output dictionaries: the six core roles, plus accent2.. for K > 6."""
    return list(ROLES[: max(k, 6)])


def surface_merged(k: int) -> bool:
    """Whether surface carries the background colour (K = 3)."""
    return "surface" in merges(k)
