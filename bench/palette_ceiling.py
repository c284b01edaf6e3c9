"""How high can the rating predictor go with the brand colours kept? A feasibility probe beside bench/palette.py.

Run: ``.venv/bin/python bench/palette_ceiling.py [--sets dev,dev-multi,held-out] [--steps 150]``.

EVALUATION ONLY, like :mod:`bench.palette_rating`: nothing here is imported by the engine and nothing it finds is
written anywhere but ``var/bench/palette_ceiling.json``. For each brief it takes the engine's rank-1 palette
(every default, seed 0), keeps every role that shows a brand colour (CIEDE2000 <= 1 to one of the brief's
colours) or a locked colour, and searches the other roles with the predictor itself as the objective: a
greedy stochastic hill-climb from the engine's palette (each step, 64 proposals that move one free role by a
Gaussian step in sRGB, the step shrinking from 0.15 to 0.03; the best proposal that keeps the rules and raises
the rating is taken). The result is a *lower* bound on what the predictor allows (a local search) and an
*upper* estimate of what an engine that never sees the ratings could reach under the same rules. Every
candidate keeps:

- the hard guarantees of bench/palette.py (text 4.5:1 on background and surface, primary 3:1 on background,
  background/surface CIEDE2000 >= 2.5) and the accent aims (chromatic roles >= 20 apart, >= 10 under simulated
  deuteranopia);
- ``design`` rules, the engine's own choices for grounds and ink (:mod:`themes.palette.objective`): OKLab
  polarity of the grounds (light background L >= 0.92, surface >= 0.88; dark <= 0.28 / 0.34), near-neutral
  grounds and ink (chroma <= 0.03 / 0.04 / TEXT_MAX_CHROMA) and text lightness in the ink band INK_L;
- or only ``wcag``: the guarantees and aims with grounds merely light (relative luminance >= 0.75 / 0.65) or
  dark (<= 0.06 / 0.10), any chroma, any ink.

Prints the engine's median and worst predicted rating per set and variant beside both ceilings. If a ceiling
stays under a target, no palette of those rules with those brand colours reaches it as far as this search can
tell, and the target asks the engine to give up a rule or a brand colour.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from bench.palette import ROLES6, TARGETS, _lab, brief_sets  # noqa: E402
from bench.palette_rating import fit as fit_rating  # noqa: E402
from themes.palette import Brief, generate  # noqa: E402
from themes.palette.colorspace import delta_e_2000, linear_to_oklab, srgb_to_linear  # noqa: E402
from themes.palette.legibility import chromatic_distances  # noqa: E402
from themes.palette.objective import DARK_GROUND_MAX_L, INK_L, TEXT_MAX_CHROMA  # noqa: E402

PROPOSALS = 64
LIGHT_MIN_L = (0.92, 0.88)
GROUND_MAX_CHROMA = (0.03, 0.04)


def to_hex(rgb: np.ndarray) -> str:
    return "#" + "".join(f"{int(round(float(v) * 255)):02X}" for v in rgb)


def quantise(rgb: np.ndarray) -> np.ndarray:
    return np.round(np.clip(rgb, 0, 1) * 255) / 255


def luminance(rgb: np.ndarray) -> np.ndarray:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def contrast(a: np.ndarray, b: np.ndarray) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def keeps_rules(c: np.ndarray, variant: str, rules: str) -> bool:
    """Whether a (6, 3) sRGB variant (rows in ROLES6 order) keeps the guarantees, the aims and ``rules``."""
    if contrast(c[2], c[0]) < 4.5 or contrast(c[2], c[1]) < 4.5 or contrast(c[3], c[0]) < 3.0:
        return False
    lin = srgb_to_linear(torch.tensor(c, dtype=torch.float64))
    if rules == "design":
        ok = linear_to_oklab(lin[:3])
        light, chroma = ok[:, 0], torch.hypot(ok[:, 1], ok[:, 2])
        if variant == "light" and (light[0] < LIGHT_MIN_L[0] or light[1] < LIGHT_MIN_L[1]):
            return False
        if variant == "dark" and (light[0] > DARK_GROUND_MAX_L[0] or light[1] > DARK_GROUND_MAX_L[1]):
            return False
        if chroma[0] > GROUND_MAX_CHROMA[0] or chroma[1] > GROUND_MAX_CHROMA[1] or chroma[2] > TEXT_MAX_CHROMA[variant]:
            return False
        low, high = INK_L[variant]
        if not low <= float(light[2]) <= high:
            return False
    else:
        y = luminance(c[:2])
        if (variant == "light" and (y[0] < 0.75 or y[1] < 0.65)) or (variant == "dark" and (y[0] > 0.06 or y[1] > 0.10)):
            return False
    lab = _lab([to_hex(c[0]), to_hex(c[1])])
    if float(delta_e_2000(lab[0], lab[1])) < 2.5:
        return False
    return (float(chromatic_distances(lin[None], "normal").min()) >= 20.0
            and float(chromatic_distances(lin[None], "deuteranopia").min()) >= 10.0)


def rating(rater, variants: np.ndarray) -> np.ndarray:
    """Predicted rating of (N, 6, 3) variants, as bench/palette.py's ``rate``: the mean over the two grounds of
    (ground, primary, secondary, accent, text)."""
    themes = np.concatenate([variants[:, [g, 3, 4, 5, 2]] for g in (0, 1)])
    scores = rater.predict_themes(themes)
    return (scores[: len(variants)] + scores[len(variants):]) / 2


def climb(rater, start: np.ndarray, free: list[int], variant: str, rules: str, steps: int,
          rng: np.random.Generator) -> tuple[float, np.ndarray]:
    best, score = start.copy(), float(rating(rater, start[None])[0])
    if not free or not keeps_rules(best, variant, rules):
        return score, best
    for step in range(steps):
        sigma = 0.15 * (0.03 / 0.15) ** (step / max(steps - 1, 1))
        roles = rng.choice(free, PROPOSALS)
        proposals = np.repeat(best[None], PROPOSALS, 0)
        proposals[np.arange(PROPOSALS), roles] = quantise(proposals[np.arange(PROPOSALS), roles]
                                                          + rng.normal(0, sigma, (PROPOSALS, 3)))
        scores = rating(rater, proposals)
        for i in np.argsort(-scores):
            if scores[i] <= score:
                break
            if keeps_rules(proposals[i], variant, rules):
                best, score = proposals[i], float(scores[i])
                break
    return score, best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="dev,dev-multi,held-out")
    parser.add_argument("--briefs", type=int, default=None, help="only the first N briefs of each set")
    parser.add_argument("--steps", type=int, default=150, help="hill-climb steps per variant (default 150)")
    parser.add_argument("--per-brief", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "palette_ceiling.json"))
    args = parser.parse_args(argv)

    rater = fit_rating()
    sets = brief_sets([s.strip() for s in args.sets.split(",") if s.strip()], args.briefs)
    rng = np.random.default_rng(0)
    rows: list[dict] = []
    for set_name, briefs in sets.items():
        for spec in briefs:
            brief = Brief(brand_colors=spec["brand_colors"], locks=spec["locks"], keywords=spec["keywords"], k=6)
            first = generate(brief).to_dict()["palettes"][0]
            keep = [h.partition(":")[0].upper() for h in spec["locks"]] + [h.upper() for h in spec["brand_colors"]]
            for variant, key in (("light", "colors"), ("dark", "dark")):
                hexes = [first[key][r] for r in ROLES6]
                lab = _lab(hexes + keep)
                fixed = [i for i in range(6) if float(delta_e_2000(lab[i][None], lab[6:]).min()) <= 1.0]
                free = [i for i in range(6) if i not in fixed]
                start = np.array([[int(h[j:j + 2], 16) / 255 for j in (1, 3, 5)] for h in hexes])
                row = {"set": set_name, "brief": ",".join(spec["brand_colors"]), "variant": variant,
                       "fixed": [ROLES6[i] for i in fixed], "engine": float(rating(rater, start[None])[0])}
                for rules in ("design", "wcag"):
                    score, best = climb(rater, start, free, variant, rules, args.steps, rng)
                    row[rules], row[f"{rules}_colors"] = score, [to_hex(c) for c in best]
                rows.append(row)
                if args.per_brief:
                    print(f"{set_name:<10}{row['brief']:<32}{variant:<6}kept {','.join(row['fixed']) or '-':<24}"
                          f"engine {row['engine']:.2f}  design {row['design']:.2f} {' '.join(row['design_colors'])}"
                          f"  wcag {row['wcag']:.2f}", flush=True)

    header = f"{'set':<10}{'variant':<8}{'target':>14}{'engine':>14}{'design ceiling':>16}{'wcag ceiling':>14}"
    print(header + "\n" + "-" * len(header))
    print(f"{'':<18}{'median/worst':>14}{'median/worst':>14}{'median/worst':>16}{'median/worst':>14}")
    summary = {}
    for set_name in sets:
        for variant in ("light", "dark"):
            mine = [r for r in rows if r["set"] == set_name and r["variant"] == variant]
            cols = {k: (statistics.median(r[k] for r in mine), min(r[k] for r in mine))
                    for k in ("engine", "design", "wcag")}
            target = ((TARGETS["light_median"], TARGETS["light_worst"]) if variant == "light"
                      else (TARGETS["dark_median"], None))
            summary[f"{set_name}/{variant}"] = cols
            print(f"{set_name:<10}{variant:<8}{target[0]:>8.2f}/{'-' if target[1] is None else f'{target[1]:.2f}':>5}"
                  + "".join(f"{m:>{w - 5}.2f}/{lo:.2f}" for (m, lo), w in
                            zip(cols.values(), (14, 16, 14), strict=True)))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "rows": rows, "summary": summary}, indent=2) + "\n")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
