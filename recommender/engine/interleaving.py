"""Team-draft interleaving: compare two rankers on the same learners, far more sensitively than an A/B split.

Radlinski, Kurup & Joachims, "How does clickthrough data reflect retrieval quality?", CIKM 2008 (team draft):
in each round a fair coin decides which ranker picks first; each ranker then adds its highest-ranked item not yet
in the merged list, and that position is credited to its team. An outcome (click, enrolment, completion) on a
position counts for the team that placed it; per impression the team with more outcomes wins. Over many
impressions the share of wins estimates which ranker learners prefer; :func:`summarise` adds a two-sided sign
test (ties dropped) so a staff page can say when the difference is real.

Pure: no Django, no I/O; the random generator is passed in (seed it per impression to make it replayable).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

A, B = "A", "B"


@dataclass(frozen=True)
class Interleaved:
    items: list[Hashable]
    teams: list[str]  # "A" or "B" per position

    def credit(self, outcomes: Iterable[Hashable]) -> dict[str, int]:
        """Outcomes per team for the items that had one (items not shown are ignored)."""
        team_of = dict(zip(self.items, self.teams, strict=True))
        out = {A: 0, B: 0}
        for item in outcomes:
            team = team_of.get(item)
            if team is not None:
                out[team] += 1
        return out

    def winner(self, outcomes: Iterable[Hashable]) -> str | None:
        """``"A"``, ``"B"`` or ``None`` (a tie, including no outcome at all)."""
        c = self.credit(outcomes)
        return A if c[A] > c[B] else B if c[B] > c[A] else None


def team_draft(ranking_a: Sequence[Hashable], ranking_b: Sequence[Hashable], n: int,
               rng: np.random.Generator) -> Interleaved:
    """Interleave two rankings (best first) into at most ``n`` distinct items."""
    items: list[Hashable] = []
    teams: list[str] = []
    shown: set[Hashable] = set()
    pos = {A: 0, B: 0}
    lists = {A: list(ranking_a), B: list(ranking_b)}

    def pick(team: str) -> bool:
        lst = lists[team]
        while pos[team] < len(lst) and lst[pos[team]] in shown:
            pos[team] += 1
        if pos[team] >= len(lst):
            return False
        item = lst[pos[team]]
        items.append(item)
        teams.append(team)
        shown.add(item)
        return True

    while len(items) < n:
        first = A if rng.random() < 0.5 else B
        second = B if first == A else A
        picked = pick(first)
        if len(items) < n:
            picked = pick(second) or picked
        if not picked:
            break
    return Interleaved(items, teams)


@dataclass(frozen=True)
class Summary:
    wins_a: int
    wins_b: int
    ties: int
    preference: float  # (wins_a - wins_b) / impressions with a winner, in [-1, 1]; > 0: A preferred
    p_value: float  # two-sided sign test on the impressions with a winner

    @property
    def impressions(self) -> int:
        return self.wins_a + self.wins_b + self.ties


def sign_test(wins_a: int, wins_b: int) -> float:
    """Two-sided exact binomial test of ``wins_a`` vs ``wins_b`` under p = 1/2."""
    n = wins_a + wins_b
    if n == 0:
        return 1.0
    k = min(wins_a, wins_b)
    log_half_n = n * math.log(0.5)
    tail = sum(math.exp(math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + log_half_n)
               for i in range(k + 1))
    return float(min(1.0, 2.0 * tail))


def summarise(winners: Iterable[str | None]) -> Summary:
    """Aggregate per-impression winners (``"A"``, ``"B"``, ``None``)."""
    wa = wb = ties = 0
    for w in winners:
        if w == A:
            wa += 1
        elif w == B:
            wb += 1
        else:
            ties += 1
    decided = wa + wb
    return Summary(wa, wb, ties, (wa - wb) / decided if decided else 0.0, sign_test(wa, wb))
