"""Diverse selection of candidates and the result object (``Result.to_dict()`` is the JSON contract)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from .apca import apca_lc
from .colorspace import delta_e_2000, hex_to_linear, linear_to_hex, linear_to_lab
from .harmony import harmony_score
from .legibility import (
    AIM_ACCENT_DE00,
    AIM_ACCENT_DE00_CVD,
    CVD_KINDS,
    chromatic_distances,
    simulate_cvd_hex,
    wcag_contrast,
)
from .objective import Context
from .plan import Plan
from .roles import merges, output_roles
from .tones import tonal_ramps

#: Diversity: no two returned candidates are closer than this mean CIEDE2000 over their free role colours
#: (light and dark variants, locked colours excluded). 8 is a clearly visible difference in most roles.
DIVERSITY_MIN_DE00 = 8.0

ENGINE_VERSION = "2.1.0"
#: Mean Ou & Luo (2006) CH over a variant's role pairs at which its candidates rank first (the issue's level).
HARMONY_LEVEL = 0.30
#: An unlocked brand colour counts as shown by a palette when a role is this close to it (CIEDE2000).
SHOWN_DE00 = 10.0


def _free_rows(plan: Plan) -> list[int]:
    """Rows of the stacked (light rows, dark rows) palette that are neither locked nor merged duplicates."""
    n = 3 + plan.n_chrom
    rows = []
    for offset, variant in ((0, "light"), (n, "dark")):
        for r in range(n):
            if r in plan.neutral_locks[variant] or (r >= 3 and (r - 3) in plan.chrom_locks):
                continue
            if r == 1 and plan.surface_merged:
                continue
            rows.append(offset + r)
    return rows


def meets_aims(light: torch.Tensor, dark: torch.Tensor) -> torch.Tensor:
    """Per palette of ``light``/``dark`` (batch, roles, 3): whether both variants' chromatic roles are CIEDE2000
    >= 20 apart, and >= 10 under simulated deuteranopia (the accent aims of :mod:`themes.palette.legibility`)."""
    good = torch.ones(light.shape[0], dtype=torch.bool)
    for pal in (light, dark):
        normal = chromatic_distances(pal, "normal")
        if normal.shape[-1]:
            good &= (normal.min(-1).values >= AIM_ACCENT_DE00) & (
                chromatic_distances(pal, "deuteranopia").min(-1).values >= AIM_ACCENT_DE00_CVD)
    return good


def harmonious(light: torch.Tensor, dark: torch.Tensor) -> torch.Tensor:
    """Per palette of ``light``/``dark`` (batch, roles, 3): whether both variants' mean Ou & Luo (2006) CH over
    their role pairs reaches :data:`HARMONY_LEVEL` (the level the issue asks of candidates)."""
    good = torch.ones(light.shape[0], dtype=torch.bool)
    for pal in (light, dark):
        h = harmony_score(linear_to_lab(pal))
        good &= torch.atanh((2.0 * h - 1.0).clamp(-0.999999, 0.999999)) >= HARMONY_LEVEL
    return good


def select_diverse(pool: list, plan: Plan, n: int) -> list:
    """Greedy: candidates that meet the accent aims (:func:`meets_aims`) first, each group by best U, skipping any
    candidate within :data:`DIVERSITY_MIN_DE00` of one already chosen. The first candidate is the best U; among
    the alternatives after it, harmonious ones (:func:`harmonious`) rank before the others of their group.

    Why only the alternatives: U already weighs harmony against brand fit and legibility, and its best palette
    stays first (ranking harmony above U there let Ou & Luo's preference for blues override a green keyword
    brief); but U's harmony term is a mean that the other terms can outweigh, so without the preference the
    diverse alternatives often fell below the level the issue asks of every candidate."""
    if not pool:
        return []
    light, dark = torch.stack([c[1] for c in pool]), torch.stack([c[2] for c in pool])
    meets = meets_aims(light, dark).tolist()
    calm = harmonious(light, dark).tolist()
    order = sorted(range(len(pool)), key=lambda i: (not meets[i], -pool[i][0]))
    order = order[:1] + sorted(order[1:], key=lambda i: (not meets[i], not calm[i], -pool[i][0]))
    ranked = [pool[i] for i in order]
    rows = _free_rows(plan)
    labs = linear_to_lab(torch.stack([torch.cat((c[1], c[2]), 0) for c in ranked]))
    chosen: list[int] = []
    for i in range(len(ranked)):
        if rows and chosen:
            d = delta_e_2000(labs[i, rows][None], labs[chosen][:, rows]).mean(-1)
            if bool((d < DIVERSITY_MIN_DE00).any()):
                continue
        elif chosen and not rows:
            break  # everything is locked: only one distinct palette exists
        chosen.append(i)
        if len(chosen) == n:
            break
    return [ranked[i] for i in chosen]


def candidate_distance(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Mean CIEDE2000 between two result palettes over the roles of both variants (for tests and tools)."""
    keys = list(a["colors"])
    la = linear_to_lab(hex_to_linear([a["colors"][k] for k in keys] + [a["dark"][k] for k in keys]))
    lb = linear_to_lab(hex_to_linear([b["colors"][k] for k in keys] + [b["dark"][k] for k in keys]))
    return float(delta_e_2000(la, lb).mean())


def _roles_dict(hexes: list[str], plan: Plan) -> dict[str, str]:
    own = {"background": hexes[0], "surface": hexes[1], "text": hexes[2]}
    own.update({role: hexes[3 + i] for i, role in enumerate(plan.chrom_roles)})
    merged = merges(plan.k)
    return {role: own[merged.get(role, role)] for role in output_roles(plan.k)}


def _de00(hex_a: str, hex_b: str) -> float:
    lab = linear_to_lab(hex_to_linear([hex_a, hex_b]))
    return round(float(delta_e_2000(lab[0], lab[1])), 2)


def _contrast(colors: dict[str, str]) -> dict[str, float]:
    bg = colors["background"]
    table = {
        "text/background": wcag_contrast(colors["text"], bg),
        "text/surface": wcag_contrast(colors["text"], colors["surface"]),
        "primary/background": wcag_contrast(colors["primary"], bg),
    }
    for role in colors:
        if role not in ("background", "surface", "text", "primary"):
            table[f"{role}/background"] = wcag_contrast(colors[role], bg)
    return {k: round(v, 3) for k, v in table.items()}


def _apca(colors: dict[str, str]) -> dict[str, float]:
    """APCA Lc (:mod:`themes.palette.apca`) for the same pairs as :func:`_contrast` (foreground first)."""
    bg = colors["background"]
    table = {"text/background": apca_lc(colors["text"], bg), "text/surface": apca_lc(colors["text"], colors["surface"])}
    for role in colors:
        if role not in ("background", "surface", "text"):
            table[f"{role}/background"] = apca_lc(colors[role], bg)
    return {k: round(v, 1) for k, v in table.items()}


def _cvd(colors: dict[str, str]) -> dict[str, dict[str, str]]:
    """Each role as seen with each simulated dichromacy (Machado et al. 2009), for previews."""
    roles = list(colors)
    return {kind: dict(zip(roles, simulate_cvd_hex([colors[r] for r in roles], kind), strict=True))
            for kind in CVD_KINDS}


def _distances(pal: torch.Tensor, colors: dict[str, str]) -> dict[str, float | None]:
    out: dict[str, float | None] = {"background/surface": _de00(colors["background"], colors["surface"])}
    for vision in ("normal", *CVD_KINDS):
        d = chromatic_distances(pal[None], vision)
        out[f"min_chromatic_{vision}"] = round(float(d.min()), 2) if d.numel() else None
    return out


@dataclass
class Result:
    """What :func:`themes.palette.generate` returns; ``to_dict()`` gives the documented JSON."""

    palettes: list[dict[str, Any]]
    device: str
    seconds: float
    unknown_keywords: list[str]
    steps_done: int
    brief: dict[str, Any]
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "palettes": self.palettes,
            "device": self.device,
            "seconds": round(self.seconds, 4),
            "unknown_keywords": list(self.unknown_keywords),
            "steps_done": self.steps_done,
            "engine_version": ENGINE_VERSION,
            "diversity_min_de00": DIVERSITY_MIN_DE00,
            "brief": self.brief,
            "warnings": list(self.warnings),
        }


def _brand_report(brief, plan: Plan, light: dict[str, str], dark: dict[str, str]) -> list[dict[str, Any]]:
    """Per brand colour: its role (locked, else the nearest chromatic role in the light variant), the colour
    there and CIEDE2000 per variant, and ``shown``: locked, or one of the best-fitting unlocked seeds that the
    free chromatic roles can show (pick K of C) and within CIEDE2000 :data:`SHOWN_DE00` of its role."""
    locks = dict(brief.resolved_locks())
    report = []
    for h in brief.brand_hexes():
        role = locks.get(h)
        if role is None:  # unlocked seed: the chromatic role closest to it in the light variant
            role = min(plan.chrom_roles, key=lambda r: _de00(h, light[r]))
        entry: dict[str, Any] = {"hex": h, "locked": h in locks, "role": role}
        for name, colors in (("light", light), ("dark", dark)):
            d = _de00(h, colors[role])
            entry[name] = {"hex": colors[role], "delta_e00": d, "exact": colors[role] == h}
        report.append(entry)
    free = plan.n_chrom - len(plan.chrom_locks)
    unlocked = sorted((e["light"]["delta_e00"], i) for i, e in enumerate(report) if not e["locked"])
    shown = {i for d, i in unlocked[: max(free, 0)] if d <= SHOWN_DE00}
    for i, entry in enumerate(report):
        entry["shown"] = entry["locked"] or i in shown
    return report


def build_result(brief, plan: Plan, chosen: list, ctx: Context, device: torch.device, seconds: float,
                 steps_done: int, unknown: list[str]) -> Result:
    """Turn selected (U, light, dark, scores) tuples into the result object."""
    palettes = []
    for rank, (_, light, dark, s) in enumerate(chosen):
        light_c = _roles_dict(linear_to_hex(light), plan)
        dark_c = _roles_dict(linear_to_hex(dark), plan)
        polarity = [v for v in ("light", "dark") if plan.primary_exact[v]] if 0 in plan.chrom_locks else []
        palettes.append(
            {
                "rank": rank + 1,
                "colors": light_c,
                "dark": dark_c,
                "scores": {key: round(val, 4) for key, val in s.items()},
                "contrast": {"light": _contrast(light_c), "dark": _contrast(dark_c)},
                "distances": {
                    "light": _distances(hex_to_linear(_own(light_c, plan)), light_c),
                    "dark": _distances(hex_to_linear(_own(dark_c, plan)), dark_c),
                },
                "brand": _brand_report(brief, plan, light_c, dark_c),
                "primary_exact_in": polarity,
                "apca": {"light": _apca(light_c), "dark": _apca(dark_c)},
                "cvd": {"light": _cvd(light_c), "dark": _cvd(dark_c)},
                "tones": {"light": tonal_ramps(light_c), "dark": tonal_ramps(dark_c)},
            }
        )
    warnings = []
    if len(palettes) < brief.candidates:
        warnings.append(
            f"only {len(palettes)} of {brief.candidates} candidates are at least CIEDE2000 {DIVERSITY_MIN_DE00} "
            "apart; unlock colours, raise k or add starts for more variety"
        )
    return Result(
        palettes=palettes,
        device=str(device),
        seconds=seconds,
        unknown_keywords=unknown,
        steps_done=steps_done,
        brief=_brief_echo(brief),
        warnings=warnings,
    )


def _own(colors: dict[str, str], plan: Plan) -> list[str]:
    return [colors["background"], colors["surface"], colors["text"]] + [colors[r] for r in plan.chrom_roles]


def _brief_echo(brief) -> dict[str, Any]:
    return {
        "brand_colors": brief.brand_hexes(),
        "locks": [list(x) for x in brief.resolved_locks()],
        "keywords": brief.keywords if isinstance(brief.keywords, str) else list(brief.keywords),
        "k": brief.k,
        "alpha": brief.alpha,
        "beta": brief.beta,
        "gamma": brief.gamma,
        "seed": brief.seed,
        "candidates": brief.candidates,
        "starts": brief.starts,
        "steps": brief.steps,
        "device": brief.device,
        "deadline_s": brief.deadline_s,
    }


__all__ = ["DIVERSITY_MIN_DE00", "ENGINE_VERSION", "Result", "candidate_distance", "select_diverse"]
