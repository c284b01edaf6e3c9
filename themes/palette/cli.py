"""Command line for the palette engine, shared by ``python -m themes.palette`` and the Django command.

``add_arguments(parser)`` defines the flags on any argparse parser (Django's ``CommandParser`` included) and
``run(options, stdout)`` does the work from the parsed options dict, so the management command
``generate_palette`` is two one-line methods. Exit codes: 0 success, 2 invalid input (the message goes to
stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from .brief import DEFAULT_ALPHA, DEFAULT_BETA, DEFAULT_GAMMA, DEFAULT_STARTS, DEFAULT_STEPS, Brief
from .scheme import SCHEME_CHOICES

OPTION_NAMES = ("brand", "lock", "keywords", "k", "candidates", "seed", "alpha", "beta", "gamma", "starts",
                "steps", "device", "scheme", "json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the engine's flags to ``parser``."""
    parser.add_argument("--brand", action="append", default=None, metavar="#RRGGBB",
                        help="brand seed colour; repeat for up to 8 (the palette shows the best K)")
    parser.add_argument("--lock", action="append", default=None, metavar="#RRGGBB[:ROLE]",
                        help="colour that must appear exactly, optionally in a role (e.g. '#1E88E5:primary'); "
                             "repeat for up to 8")
    parser.add_argument("--keywords", default="", help="brand words, e.g. 'tech,trust' or '科技,成长'")
    parser.add_argument("--k", type=int, default=6, help="colours per variant, 3-10 (default 6)")
    parser.add_argument("--candidates", type=int, default=5, help="palettes to return, 1-20 (default 5)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--alpha", type=float, default=DEFAULT_ALPHA, help=f"harmony weight (default {DEFAULT_ALPHA})")
    parser.add_argument("--beta", type=float, default=DEFAULT_BETA, help=f"legibility weight (default {DEFAULT_BETA})")
    parser.add_argument("--gamma", type=float, default=DEFAULT_GAMMA, help=f"brand-fit weight (default {DEFAULT_GAMMA})")
    parser.add_argument("--starts", type=int, default=DEFAULT_STARTS,
                        help=f"random starts optimised together (default {DEFAULT_STARTS})")
    parser.add_argument("--steps", type=int, default=DEFAULT_STEPS, help=f"optimiser steps (default {DEFAULT_STEPS})")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"), help="default auto")
    parser.add_argument("--scheme", default="auto", choices=SCHEME_CHOICES,
                        help="where secondary/accent hues go relative to the primary (default auto: from keywords)")
    parser.add_argument("--json", default=None, metavar="PATH", help="also write the result as JSON to PATH")


def brief_from_options(options: dict[str, Any]) -> Brief:
    """Build a :class:`Brief` from parsed options (unknown keys such as Django's ``verbosity`` are ignored)."""
    return Brief(
        brand_colors=list(options.get("brand") or []),
        locks=list(options.get("lock") or []),
        keywords=options.get("keywords") or "",
        k=options.get("k", 6),
        alpha=options.get("alpha", DEFAULT_ALPHA),
        beta=options.get("beta", DEFAULT_BETA),
        gamma=options.get("gamma", DEFAULT_GAMMA),
        seed=options.get("seed", 0),
        candidates=options.get("candidates", 5),
        starts=options.get("starts", DEFAULT_STARTS),
        steps=options.get("steps", DEFAULT_STEPS),
        device=options.get("device") or "auto",
        scheme=options.get("scheme") or "auto",
    )


def _swatch(hex_value: str, truecolour: bool) -> str:
    if not truecolour:
        return ""
    r, g, b = (int(hex_value[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[48;2;{r};{g};{b}m    \x1b[0m "


def format_table(result: dict[str, Any], truecolour: bool = False) -> str:
    """Readable text table of a result dict; with ``truecolour`` each hex gets a 24-bit background swatch."""
    lines = []
    for pal in result["palettes"]:
        s = pal["scores"]
        lines.append(f"#{pal['rank']}  U={s['U']:.3f}  H={s['H']:.3f}  V={s['V']:.3f}  B={s['B']:.3f}")
        lines.append(f"  {'role':<11}{'light':<{13 if not truecolour else 18}}dark")
        for role in pal["colors"]:
            light, dark = pal["colors"][role], pal["dark"][role]
            lines.append(f"  {role:<11}{_swatch(light, truecolour)}{light:<9}    {_swatch(dark, truecolour)}{dark}")
        for variant in ("light", "dark"):
            c = pal["contrast"][variant]
            lines.append(
                f"  {variant:<5} contrast  text/bg {c['text/background']:.2f}  text/surface {c['text/surface']:.2f}"
                f"  primary/bg {c['primary/background']:.2f}  bg/surface dE00 "
                f"{pal['distances'][variant]['background/surface']:.1f}"
            )
        for entry in pal["brand"]:
            parts = [f"{v} {entry[v]['hex']} (dE00 {entry[v]['delta_e00']:.1f})" for v in ("light", "dark")]
            lines.append(f"  brand {entry['hex']} as {entry['role']}: " + ", ".join(parts))
        lines.append("")
    lines.append(f"device {result['device']}, {result['seconds']:.2f} s, {result['steps_done']} steps")
    if result["unknown_keywords"]:
        lines.append("unknown keywords (not in the lexicon): " + ", ".join(result["unknown_keywords"]))
    lines.extend(f"warning: {w}" for w in result["warnings"])
    return "\n".join(lines) + "\n"


def run(options: dict[str, Any], stdout: TextIO, stderr: TextIO | None = None) -> int:
    """Generate palettes from parsed options, print the table to ``stdout``, write ``--json``; return exit code."""
    from .optimise import generate  # imported here so argument parsing stays cheap

    stderr = stderr if stderr is not None else sys.stderr
    try:
        result = generate(brief_from_options(options)).to_dict()
    except ValueError as exc:
        stderr.write(f"error: {exc}\n")
        return 2
    truecolour = os.environ.get("COLORTERM", "").lower() in ("truecolor", "24bit")
    stdout.write(format_table(result, truecolour))
    if options.get("json"):
        path = Path(options["json"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        stdout.write(f"wrote {path}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m themes.palette``."""
    parser = argparse.ArgumentParser(prog="python -m themes.palette", description="Generate brand palettes.")
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)), sys.stdout)
