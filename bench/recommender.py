"""Recommender benchmark: our models beside the `implicit` library's CPU ALS, on the very same split.

    .venv/bin/python bench/recommender.py                 # ML-1M positives, leave-last-out + random 80/20
    .venv/bin/python bench/recommender.py --quick         # ML-100K (rating >= 4)
    .venv/bin/python bench/recommender.py --device cuda   # our models on the GPU (implicit stays on CPU)

For each protocol it fits every model on the training part, reports NDCG@10, Recall@20 (and AUC, coverage) on
the test part and the training wall time. Our iALS and implicit's ALS use the same hyper-parameters (factors,
regularisation, iterations; both run 3 CG steps; implicit's ``alpha`` is our ``1 + alpha`` because implicit uses
``c - 1 = alpha_impl r - 1`` where Hu et al. use ``c - 1 = alpha r``); implicit with its library defaults is shown
too. ALS timings are the best of ``--repeat`` runs, alternating the two libraries, because the machine is
shared. Results go to ``var/bench/recommender.json``. `implicit` is a bench/dev dependency only.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # implicit warns (and slows down) otherwise
# On a shared, oversubscribed machine OpenMP threads that spin-wait at barriers steal each other's cores and make
# both libraries' timings erratic (torch's 2-thread iALS went from 1 s to 4-20 s); sleeping waiters fix that.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse  # noqa: E402
import json  # noqa: E402
import platform as _platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from recommender.engine import ENGINE_VERSION, evaluate, make_model  # noqa: E402
from recommender.engine.evaluation import make_split  # noqa: E402
from recommender.engine.io import read_interactions  # noqa: E402
from recommender.engine.models import MODEL_NAMES  # noqa: E402

DATA = Path("/work/shared/data")
ML1M = DATA / "ml-1m" / "ratings_ge4.dat.gz"
ML100K = DATA / "ml-100k" / "u.data"


class ImplicitALS:
    """Adapter giving implicit's model the two methods :func:`evaluate` needs."""

    def __init__(self, train: sp.csr_matrix, **params: object) -> None:
        from implicit.cpu.als import AlternatingLeastSquares

        self.train = train
        self.model = AlternatingLeastSquares(random_state=0, calculate_training_loss=False, **params)

    def fit(self) -> float:
        binary = self.train.copy()
        binary.data[:] = 1.0
        start = time.perf_counter()
        self.model.fit(binary, show_progress=False)
        return time.perf_counter() - start

    def score_users(self, users: np.ndarray, filter_seen: bool = True) -> np.ndarray:
        scores = np.asarray(self.model.user_factors[users] @ self.model.item_factors.T, dtype=np.float32)
        seen = self.train[users]
        scores[np.repeat(np.arange(len(users)), np.diff(seen.indptr)), seen.indices] = -np.inf
        return scores


def _row(name: str, fit_s: float, metrics: dict[str, float], params: dict) -> dict:
    return {"model": name, "fit_seconds": round(fit_s, 3), "ndcg@10": metrics["ndcg@10"],
            "recall@20": metrics["recall@20"], "auc": metrics.get("auc"), "coverage@10": metrics["coverage@10"],
            "params": params}


def run_protocol(data, protocol: str, models: list[str], device: str, repeat: int, seed: int) -> dict:
    split = make_split(data, protocol, seed=seed)
    train = split.train.to_csr()
    rows: list[dict] = []
    als_times: dict[str, list[float]] = {"ials": [], "implicit-als": []}
    fitted: dict[str, object] = {}
    for name in models:
        model = make_model(name, seed=seed, device=device)
        model.fit(train)
        fitted[name] = model
        metrics = evaluate(model, train, split.test, ks=(10, 20)).metrics
        rows.append(_row(name, model.fit_seconds, metrics, model.params))
        print(f"  {protocol:15s} {name:22s} fit {model.fit_seconds:7.2f}s  ndcg@10 {metrics['ndcg@10']:.4f}  "
              f"recall@20 {metrics['recall@20']:.4f}", flush=True)
    ials_params = make_model("ials").params
    matched = {"factors": ials_params["factors"], "regularization": ials_params["regularization"],
               "alpha": 1.0 + ials_params["alpha"], "iterations": ials_params["iterations"]}
    for label, params in (("implicit-als", matched), ("implicit-als-defaults", {})):
        lib = ImplicitALS(train, **params)
        fit_s = lib.fit()
        if label == "implicit-als":
            als_times[label].append(fit_s)
        metrics = evaluate(lib, train, split.test, ks=(10, 20)).metrics
        rows.append(_row(label, fit_s, metrics, params))
        print(f"  {protocol:15s} {label:22s} fit {fit_s:7.2f}s  ndcg@10 {metrics['ndcg@10']:.4f}  "
              f"recall@20 {metrics['recall@20']:.4f}", flush=True)
    if "ials" in fitted:
        als_times["ials"].append(fitted["ials"].fit_seconds)  # type: ignore[attr-defined]
        for _ in range(repeat - 1):  # alternate the two libraries; keep the best time of each
            als_times["implicit-als"].append(ImplicitALS(train, **matched).fit())
            als_times["ials"].append(make_model("ials", seed=seed, device=device).fit(train).fit_seconds)
        for r in rows:
            if r["model"] in als_times:
                r["fit_seconds_all"] = [round(t, 3) for t in als_times[r["model"]]]
                r["fit_seconds"] = round(min(als_times[r["model"]]), 3)
    ours = [r for r in rows if r["model"] in models]
    best = max(ours, key=lambda r: r["ndcg@10"])
    best_recall = max(ours, key=lambda r: r["recall@20"])
    implicit_row = next(r for r in rows if r["model"] == "implicit-als")
    summary = {
        "best_model_ndcg@10": best["model"], "best_model_recall@20": best_recall["model"],
        "ndcg@10_ours_vs_implicit": [best["ndcg@10"], implicit_row["ndcg@10"]],
        "recall@20_ours_vs_implicit": [best_recall["recall@20"], implicit_row["recall@20"]],
        "quality_bar_met": best["ndcg@10"] >= implicit_row["ndcg@10"]
        and best_recall["recall@20"] >= implicit_row["recall@20"],
    }
    if als_times["ials"]:
        ours_s, theirs_s = min(als_times["ials"]), min(als_times["implicit-als"])
        summary.update({"ials_fit_best_s": round(ours_s, 3), "implicit_als_fit_best_s": round(theirs_s, 3),
                        "ials_time_ratio": round(ours_s / theirs_s, 3), "time_bar_met": ours_s <= 2 * theirs_s})
    return {"n_train": len(split.train), "n_test": len(split.test), "rows": rows, "summary": summary}


def print_table(results: dict) -> None:
    print(f"\n{'protocol':16s}{'model':24s}{'NDCG@10':>9s}{'Recall@20':>11s}{'AUC':>8s}{'cov@10':>8s}{'fit s':>9s}")
    for protocol, res in results["protocols"].items():
        for r in res["rows"]:
            print(f"{protocol:16s}{r['model']:24s}{r['ndcg@10']:9.4f}{r['recall@20']:11.4f}{r['auc']:8.4f}"
                  f"{r['coverage@10']:8.4f}{r['fit_seconds']:9.2f}")
        s = res["summary"]
        line = f"  -> best ours {s['best_model_ndcg@10']} vs implicit: quality bar {'MET' if s['quality_bar_met'] else 'MISSED'}"
        if "ials_time_ratio" in s:
            line += (f"; iALS {s['ials_fit_best_s']:.2f}s vs implicit {s['implicit_als_fit_best_s']:.2f}s "
                     f"(ratio {s['ials_time_ratio']:.2f}, bar <= 2: {'MET' if s['time_bar_met'] else 'MISSED'})")
        print(line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help=f"MovieLens-format ratings file (default {ML1M})")
    parser.add_argument("--quick", action="store_true", help=f"use ML-100K ({ML100K})")
    parser.add_argument("--device", default="cpu", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--models", default=",".join(MODEL_NAMES))
    parser.add_argument("--protocols", default="leave-last-out,random")
    parser.add_argument("--repeat", type=int, default=3, help="timing repeats for the two ALS implementations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", default=str(ROOT / "var" / "bench" / "recommender.json"))
    args = parser.parse_args(argv)
    path = Path(args.data) if args.data else (ML100K if args.quick else ML1M)
    if not path.is_file():
        print(f"error: {path} not found", file=sys.stderr)
        return 2
    import implicit
    import torch

    start = time.perf_counter()
    data = read_interactions(path, "movielens", positive_threshold=4)
    print(f"{path.name}: {len(data)} positives, {data.n_users} users, {data.n_items} items "
          f"(read in {time.perf_counter() - start:.1f}s); torch threads {torch.get_num_threads()}", flush=True)
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    warm = data.subset(data.users < 50).to_csr()  # one-off library/thread-pool start-up is not training time
    make_model("ials", device=args.device, iterations=1).fit(warm)
    ImplicitALS(warm, iterations=1).fit()
    results = {
        "engine_version": ENGINE_VERSION, "data": str(path), "device": args.device,
        "implicit_version": implicit.__version__, "torch_version": torch.__version__,
        "cpu_count": os.cpu_count(), "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"), "torch_threads": torch.get_num_threads(), "python": _platform.python_version(),
        "command": "python bench/recommender.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "protocols": {},
    }
    for protocol in [p.strip() for p in args.protocols.split(",") if p.strip()]:
        results["protocols"][protocol] = run_protocol(data, protocol, models, args.device, args.repeat, args.seed)
    results["total_seconds"] = round(time.perf_counter() - start, 1)
    print_table(results)
    out = Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"\nwrote {out} (total {results['total_seconds']}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
