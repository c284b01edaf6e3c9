"""Palette engine benchmark: one full optimisation per brief beside a random-search baseline of the same wall time.

Run: ``.venv/bin/python bench/palette.py [--starts 2048] [--device cpu] [--briefs 4]``. Prints a table and
writes ``var/bench/palette.json``.

Per development brief (the issue's twelve single-seed briefs, seed locked):

- ``opt``: ``generate()`` with K = 6, ``--starts`` starts and the default steps; wall time (validation,
  optimisation, repair and diverse selection included), evaluations/s (starts x objective evaluations / wall),
  and U of the best returned palette;
- ``random``: the same prior (``init_logits``), no gradient steps, evaluated in batches of ``--starts`` until it
  has used the optimiser's whole wall time on sampling alone (its repair is not charged), then the same repair
  and selection; U of its best palette;
- ``default s``: wall time of one brief with every default (the "< 2 s on the 2-core CPU" target), and its
  process CPU time, which shows how much of the wall time was other tenants' load on the shared cores.

Ratios are measured within one run because these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from themes.palette import DEFAULT_STARTS, DEFAULT_STEPS, ENGINE_VERSION, Brief, generate  # noqa: E402
from themes.palette.development_briefs import DEVELOPMENT_BRIEFS as BRIEFS  # noqa: E402
from themes.palette.optimise import _cpu_threads, _Problem, _repair_and_select, resolve_device  # noqa: E402
from themes.palette.plan import plan_locks  # noqa: E402

TARGET_DEFAULT_S = 2.0


def random_search(brief: Brief, seconds: float) -> tuple[float, int]:
    """Best U found by sampling the optimiser's prior for ``seconds``; returns (U, palettes evaluated)."""
    plan = plan_locks(brief)
    device = resolve_device(brief.device)
    problem = _Problem(brief, plan, device, torch.float32)
    generator = torch.Generator(device=device).manual_seed(brief.seed + 1)
    keep = 256
    best_z: torch.Tensor | None = None
    best_soft: torch.Tensor | None = None
    evaluated = 0
    t0 = time.perf_counter()
    with torch.no_grad():
        while time.perf_counter() - t0 < seconds or best_z is None:
            z = problem.init_logits(brief.starts, generator)
            soft, _ = problem.objective(z)
            evaluated += z.shape[0]
            if best_z is not None:
                z, soft = torch.cat((best_z, z)), torch.cat((best_soft, soft))
            top = torch.argsort(soft, descending=True, stable=True)[:keep]
            best_z, best_soft = z[top], soft[top]
        full = problem.colours(best_z).cpu().to(torch.float64)
        order = torch.arange(full.shape[0])
        ctx = problem.ctx
        ctx.seeds_lin = None if ctx.seeds_lin is None else ctx.seeds_lin.cpu().to(torch.float64)
        chosen = _repair_and_select(full, order, plan, ctx, brief.candidates)
    return max(c[0] for c in chosen), evaluated


def bench_brief(hex_value: str, keywords: str, starts: int, device: str) -> dict:
    brief = Brief(brand_colors=[hex_value], locks=[hex_value], keywords=keywords, starts=starts, device=device)
    t0 = time.perf_counter()
    result = generate(brief).to_dict()
    wall = time.perf_counter() - t0
    evals = starts * (result["steps_done"] + 1)
    u_opt = result["palettes"][0]["scores"]["U"]
    threads = torch.get_num_threads()
    if result["device"] == "cpu":
        torch.set_num_threads(_cpu_threads(starts, threads))
    try:
        u_rand, rand_evals = random_search(brief, wall)
    finally:
        torch.set_num_threads(threads)
    t1, c1 = time.perf_counter(), time.process_time()
    generate(Brief(brand_colors=[hex_value], locks=[hex_value], keywords=keywords, device=device))
    default_s, default_cpu_s = time.perf_counter() - t1, time.process_time() - c1
    return {
        "brief": hex_value,
        "keywords": keywords,
        "device": result["device"],
        "starts": starts,
        "steps": result["steps_done"],
        "wall_s": round(wall, 3),
        "evals_per_s": round(evals / wall),
        "u_opt": round(u_opt, 4),
        "u_random": round(u_rand, 4),
        "random_evals": rand_evals,
        "default_s": round(default_s, 3),
        "default_cpu_s": round(default_cpu_s, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=2048, help="starts of the timed optimisation (default 2048)")
    parser.add_argument("--device", default="cpu", choices=("auto", "cpu", "cuda"), help="default cpu")
    parser.add_argument("--briefs", default="4",
                        help="how many of the twelve development briefs (a number), or a comma list of hex seeds")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "palette.json"))
    args = parser.parse_args(argv)
    if args.briefs.isdigit():
        chosen = list(BRIEFS.items())[: max(1, min(12, int(args.briefs)))]
    else:
        chosen = [(h.strip().upper(), BRIEFS.get(h.strip().upper(), "")) for h in args.briefs.split(",") if h.strip()]
    generate(Brief(starts=16, steps=2, device=args.device))  # warm-up: imports, allocator, first kernels
    rows = [bench_brief(h, kw, args.starts, args.device) for h, kw in chosen]

    header = (f"{'brief':<9}{'device':<7}{'starts':>7}{'steps':>6}{'wall s':>8}{'evals/s':>10}{'U opt':>8}"
              f"{'U rand':>8}{'rand evals':>11}{'default s':>10}{'(cpu s)':>8}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['brief']:<9}{r['device']:<7}{r['starts']:>7}{r['steps']:>6}{r['wall_s']:>8.2f}"
              f"{r['evals_per_s']:>10}{r['u_opt']:>8.3f}{r['u_random']:>8.3f}{r['random_evals']:>11}"
              f"{r['default_s']:>10.2f}{r['default_cpu_s']:>8.2f}")
    summary = {
        "median_wall_s": statistics.median(r["wall_s"] for r in rows),
        "median_evals_per_s": statistics.median(r["evals_per_s"] for r in rows),
        "median_u_gain_over_random": round(statistics.median(r["u_opt"] - r["u_random"] for r in rows), 4),
        "optimiser_wins": sum(r["u_opt"] > r["u_random"] for r in rows),
        "max_default_s": max(r["default_s"] for r in rows),
        "default_target_s": TARGET_DEFAULT_S,
        "default_target_met": max(r["default_s"] for r in rows) < TARGET_DEFAULT_S,
    }
    print("-" * len(header))
    print(f"optimiser beats random search on {summary['optimiser_wins']}/{len(rows)} briefs "
          f"(median U gain {summary['median_u_gain_over_random']:+.3f}); "
          f"defaults ({DEFAULT_STARTS} starts x {DEFAULT_STEPS} steps) max {summary['max_default_s']:.2f} s "
          f"(target < {TARGET_DEFAULT_S} s: {'met' if summary['default_target_met'] else 'MISSED'})")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "engine_version": ENGINE_VERSION,
        "torch": torch.__version__,
        "machine": platform.platform(),
        "cpu_count": torch.get_num_threads(),
        "args": vars(args),
        "rows": rows,
        "summary": summary,
    }
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
