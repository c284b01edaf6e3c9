"""Offline evaluation command (shared by ``python -m recommender.engine`` and ``manage.py evaluate_recommender``).

Example::

    python -m recommender.engine --data ratings.dat.gz --format movielens --protocol leave-last-out \\
        --positive-threshold 4 --k 10 20 --models pop,itemknn,ials,bpr,ease --json out.json --plot out.png

Without ``--models`` it evaluates exactly what the platform trains (:func:`recommender.engine.train_default`): the
model's settings are selected on a validation split carved from this run's training part (each learner's latest
item, like the platform; under ``--protocol random`` a random 20 %, like the test), then refitted on the whole
training part; the selection time is part of the reported fit time. With ``--models`` the named models run with
their own defaults, or with ``--tune`` re-tuned on a small grid scored on a validation split carved from the
training part (see :mod:`recommender.engine.tuning`). Bad input prints one clear line and exits 2.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from . import DEFAULT_MODEL, ENGINE_VERSION, train_default
from .dataset import Interactions
from .evaluation import evaluate, make_split
from .io import FORMATS, DataFormatError, read_ratings
from .models import MODEL_NAMES, make_model
from .tuning import tune

PROTOCOLS = ("leave-last-out", "random", "given")


class UsageError(ValueError):
    """Bad command-line input (reported without a traceback, exit status 2)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Register the evaluation options on an argparse (or Django ``BaseCommand``) parser."""
    parser.add_argument("--data", help="ratings/interactions file (csv or MovieLens, gzip or not)")
    parser.add_argument("--format", dest="format", default="csv", choices=FORMATS, help="file format (default csv)")
    parser.add_argument("--protocol", default="leave-last-out", choices=PROTOCOLS)
    parser.add_argument("--train", help="training file for --protocol given")
    parser.add_argument("--test", help="test file for --protocol given")
    parser.add_argument("--positive-threshold", dest="positive_threshold", type=float, default=4.0,
                        help="keep rows with rating >= this (unrated rows are always kept; default 4)")
    parser.add_argument("--k", dest="k", type=int, nargs="+", default=[10, 20], help="cut-offs (default 10 20)")
    parser.add_argument("--models", default=None,
                        help=f"comma-separated subset of {','.join(MODEL_NAMES)} (default: what the platform "
                        f"trains: {DEFAULT_MODEL} with settings selected on a validation split of the training part)")
    parser.add_argument("--tune", action="store_true",
                        help="re-tune each model on a small grid, scored on a validation split carved from the "
                        "training part (never the test part), before the final fit")
    parser.add_argument("--json", dest="json", help="write results as JSON here")
    parser.add_argument("--plot", dest="plot", help="write a PNG bar chart here")
    parser.add_argument("--export-recs", dest="export_recs", help="write user,items top-N (N = max K) CSV here")
    parser.add_argument("--export-model", dest="export_model", default=None,
                        help="model whose recommendations --export-recs writes (default: the first evaluated)")
    parser.add_argument("--test-fraction", dest="test_fraction", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))


def _parse_models(text: str | None) -> list[str] | None:
    if text is None:
        return None
    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--models is empty")
    unknown = [n for n in names if n not in MODEL_NAMES]
    if unknown:
        raise UsageError(f"unknown model(s) {', '.join(unknown)}; choose from {', '.join(MODEL_NAMES)}")
    return list(dict.fromkeys(names))


def _load(options: dict[str, Any]) -> tuple[Interactions, Interactions, dict[str, Any]]:
    fmt, thr = options.get("format") or "csv", options.get("positive_threshold")
    protocol = options.get("protocol") or "leave-last-out"
    if protocol not in PROTOCOLS:
        raise UsageError(f"unknown protocol {protocol!r}; use {', '.join(PROTOCOLS)}")
    if protocol == "given":
        if not options.get("train") or not options.get("test"):
            raise UsageError("--protocol given needs --train TRAIN and --test TEST")
        train = read_ratings(options["train"], fmt, thr).to_interactions()
        test_rows = read_ratings(options["test"], fmt, thr)
        test = test_rows.to_interactions(user_ids=train.user_ids, item_ids=train.item_ids)
        info = {"train_file": str(options["train"]), "test_file": str(options["test"]),
                "test_rows_dropped_unknown": len(test_rows) - len(test)}
        return train, test, info
    if not options.get("data"):
        raise UsageError("--data FILE is required (or --protocol given --train ... --test ...)")
    data = read_ratings(options["data"], fmt, thr).to_interactions()
    split = make_split(data, protocol, seed=int(options.get("seed") or 0),
                       test_fraction=float(options.get("test_fraction") or 0.2))
    return split.train, split.test, {"data_file": str(options["data"])}


def _table(results: dict[str, dict[str, Any]], ks: list[int]) -> str:
    cols = ["fit_s"] + [f"{m}@{k}" for k in ks for m in ("ndcg", "recall", "precision", "map")] + ["auc"]
    cols += [f"coverage@{k}" for k in ks]
    lines = ["model".ljust(10) + "".join(c.rjust(13) for c in cols)]
    for name, res in results.items():
        vals = [res["fit_seconds"]] + [res["metrics"].get(c, float("nan")) for c in cols[1:]]
        lines.append(name.ljust(10) + "".join(f"{v:13.4f}" for v in vals))
    return "\n".join(lines)


def _plot(path: str, results: dict[str, dict[str, Any]], ks: list[int], title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = [f"{m}@{k}" for k in ks for m in ("ndcg", "recall")]
    names = list(results)
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(metrics) + 2), 4))
    width = 0.8 / max(len(names), 1)
    for n, name in enumerate(names):
        xs = [m + n * width for m in range(len(metrics))]
        ax.bar(xs, [results[name]["metrics"].get(m, 0.0) for m in metrics], width, label=name)
    ax.set_xticks([m + width * (len(names) - 1) / 2 for m in range(len(metrics))], metrics)
    ax.set_ylabel("score")
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def run(options: dict[str, Any], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Run the evaluation; returns the exit status (0 ok, 2 bad input)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        return _run(options, out, err)
    except (UsageError, DataFormatError) as exc:
        err.write(f"error: {exc}\n")
        return 2
    except (OSError, ValueError) as exc:  # e.g. unwritable output path, cuda requested without a GPU
        err.write(f"error: {exc}\n")
        return 2


def _run(options: dict[str, Any], out: TextIO, err: TextIO) -> int:
    from tqdm import tqdm

    names = _parse_models(options.get("models"))
    ks = sorted({int(k) for k in (options.get("k") or [10, 20])})
    if any(k <= 0 for k in ks):
        raise UsageError("--k values must be positive")
    seed, device = int(options.get("seed") or 0), str(options.get("device") or "auto")
    protocol = options.get("protocol") or "leave-last-out"
    export_model = options.get("export_model")
    if export_model and export_model not in (names or [DEFAULT_MODEL]):
        raise UsageError(f"--export-model {export_model!r} is not among the evaluated models")
    train, test, info = _load(options)
    if len(test) == 0:
        raise UsageError("the test split is empty (too few interactions per user?)")
    retune = bool(options.get("tune"))
    platform_default = names is None
    names = names or [DEFAULT_MODEL]
    train_csr = train.to_csr()
    results: dict[str, dict[str, Any]] = {}
    recs_by_model: dict[str, dict[int, list[int]]] = {}
    export_name = export_model or names[0]
    for name in tqdm(names, desc="models", file=sys.stderr, disable=None):
        trials: list[dict[str, Any]] = []
        selection = None
        if platform_default:  # exactly what training does: selection on a validation split, then the refit
            model, sel = train_default(train, protocol="random" if protocol == "random" else "leave-last-out",
                                       seed=seed, device=device)
            fit_s, selection = model.fit_seconds, sel.as_dict()
        else:
            base = {"seed": seed, "device": device}
            params = base
            if retune:
                params, trials = tune(name, train, protocol, seed=seed, base_params=base)
            model = make_model(name, **params)
            start = time.perf_counter()
            model.fit(train_csr)
            fit_s = time.perf_counter() - start
        res = evaluate(model, train_csr, test, ks=ks, keep_recommendations=bool(options.get("export_recs"))
                       and name == export_name)
        results[name] = {"params": model.params, "fit_seconds": round(fit_s, 4), "metrics": res.metrics,
                         "n_users": res.n_users, "tuning": trials, "selection": selection}
        recs_by_model[name] = res.recommendations
    title = f"{protocol}: {train.n_users} users, {train.n_items} items"
    out.write(f"{title}; train {len(train)} / test {len(test)} pairs\n{_table(results, ks)}\n")
    for name, res in results.items():
        if res["selection"]:
            sel = res["selection"]
            out.write(f"{name}: {sel['params']} selected on a {sel['protocol']} validation split carved from "
                      f"training ({len(sel['trials'])} settings, {sel['seconds']:.2f}s; fit_s includes it)\n")
        if res["tuning"]:
            best = {k: v for k, v in res["params"].items() if any(k in t["params"] for t in res["tuning"])}
            out.write(f"{name}: {best} chosen by NDCG@10 on a validation split carved from training "
                      f"({len(res['tuning'])} settings tried)\n")
    if options.get("json"):
        payload = {"engine_version": ENGINE_VERSION, "protocol": protocol, "seed": seed, "ks": ks,
                   "positive_threshold": options.get("positive_threshold"), **info,
                   "n_users": train.n_users, "n_items": train.n_items, "n_train": len(train), "n_test": len(test),
                   "default_model": DEFAULT_MODEL, "platform_default": platform_default, "tuned": retune,
                   "models": results}
        Path(options["json"]).write_text(json.dumps(payload, indent=2), encoding="utf-8")
        out.write(f"wrote {options['json']}\n")
    if options.get("plot"):
        _plot(options["plot"], results, ks, title)
        out.write(f"wrote {options['plot']}\n")
    if options.get("export_recs"):
        recs = recs_by_model.get(export_name, {})
        with open(options["export_recs"], "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["user", "items"])
            for u in sorted(recs):
                writer.writerow([train.user_ids[u], " ".join(train.item_ids[i] for i in recs[u])])
        out.write(f"wrote {options['export_recs']} ({export_name}, top-{max(ks)} for {len(recs)} users)\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recommender.engine", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(vars(parser.parse_args(argv)))
