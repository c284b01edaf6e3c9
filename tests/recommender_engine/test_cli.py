import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from recommender.engine.cli import run

from .synthetic import planted_interactions, write_csv

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ratings_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("data") / "ratings.csv"
    write_csv(path, planted_interactions(n_users=120, n_items=60, per_user=10, seed=3))
    return path


def _options(**kw):
    base = {"format": "csv", "protocol": "leave-last-out", "positive_threshold": 4.0, "k": [5, 10], "seed": 0,
            "device": "cpu", "models": None}
    base.update(kw)
    return base


def test_end_to_end_writes_table_json_png_and_exported_top_n(ratings_csv, tmp_path):
    out = io.StringIO()
    rc = run(_options(data=str(ratings_csv), models="pop,ease", json=str(tmp_path / "o.json"),
                      plot=str(tmp_path / "o.png"), export_recs=str(tmp_path / "recs.csv")), out, io.StringIO())
    assert rc == 0
    text = out.getvalue()
    assert "ndcg@10" in text and "pop" in text and "ease" in text
    payload = json.loads((tmp_path / "o.json").read_text())
    assert set(payload["models"]) == {"pop", "ease"} and payload["protocol"] == "leave-last-out"
    assert payload["models"]["ease"]["metrics"]["ndcg@10"] > payload["models"]["pop"]["metrics"]["ndcg@10"]
    assert (tmp_path / "o.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with open(tmp_path / "recs.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["user", "items"]
    assert len(rows) - 1 == payload["models"]["pop"]["n_users"] == 120
    assert all(len(r[1].split(" ")) == 10 and r[1].startswith("i") for r in rows[1:])


def test_without_models_evaluates_what_the_platform_trains_selection_included(ratings_csv, tmp_path):
    from recommender.engine import DEFAULT_MODEL, train_default
    from recommender.engine.evaluation import make_split
    from recommender.engine.io import read_interactions

    rc = run(_options(data=str(ratings_csv), protocol="random", json=str(tmp_path / "o.json")), io.StringIO(),
             io.StringIO())
    assert rc == 0
    payload = json.loads((tmp_path / "o.json").read_text())
    assert list(payload["models"]) == [DEFAULT_MODEL] and payload["platform_default"] is True
    result = payload["models"][DEFAULT_MODEL]
    assert result["tuning"] == [] and result["selection"]["protocol"] == "random" and result["selection"]["trials"]
    # the very function training calls, on the same training part, picks the same settings
    train = make_split(read_interactions(ratings_csv, "csv", 4.0), "random", seed=0).train
    _model, sel = train_default(train, protocol="random")
    assert result["params"] == sel.params and result["selection"]["params"] == sel.params


def test_tune_flag_searches_a_grid_on_a_validation_split_from_training(ratings_csv, tmp_path):
    from recommender.engine import DEFAULT_MODEL

    out = io.StringIO()
    rc = run(_options(data=str(ratings_csv), protocol="random", tune=True, models="ease",
                      json=str(tmp_path / "o.json")), out, io.StringIO())
    assert rc == 0
    payload = json.loads((tmp_path / "o.json").read_text())
    assert payload["tuned"] is True and DEFAULT_MODEL not in payload["models"]
    assert len(payload["models"]["ease"]["tuning"]) >= 2  # a grid was searched
    assert "chosen by NDCG@10 on a validation split carved from training" in out.getvalue()


def test_manage_py_evaluate_recommender_runs_the_default_model(ratings_csv, tmp_path):
    from django.core.management import call_command

    from recommender.engine import DEFAULT_MODEL

    out = io.StringIO()
    call_command("evaluate_recommender", data=str(ratings_csv), protocol="leave-last-out", k=[5, 10],
                 device="cpu", json=str(tmp_path / "o.json"), stdout=out, stderr=io.StringIO())
    payload = json.loads((tmp_path / "o.json").read_text())
    assert list(payload["models"]) == [DEFAULT_MODEL] and payload["platform_default"] is True
    assert payload["models"][DEFAULT_MODEL]["metrics"]["ndcg@10"] > 0
    assert "ndcg@10" in out.getvalue() and DEFAULT_MODEL in out.getvalue()


def test_given_protocol_trains_on_one_file_and_scores_the_other(tmp_path):
    (tmp_path / "train.csv").write_text("user,item\n" + "".join(f"u{u},i{(u + k) % 8}\n" for u in range(16)
                                                                for k in range(4)))
    (tmp_path / "test.csv").write_text("user,item\nu0,i5\nu1,i6\nghost,i1\nu2,unknown\n")
    rc = run(_options(protocol="given", train=str(tmp_path / "train.csv"), test=str(tmp_path / "test.csv"),
                      models="pop,itemknn", json=str(tmp_path / "o.json")), io.StringIO(), io.StringIO())
    assert rc == 0
    payload = json.loads((tmp_path / "o.json").read_text())
    assert payload["n_test"] == 2 and payload["test_rows_dropped_unknown"] == 2
    assert payload["models"]["itemknn"]["n_users"] == 2


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"data": "/no/such/file.csv", "models": "pop"}, "no such file"),
        ({"models": "pop,deepfm"}, "unknown model(s) deepfm"),
        ({"format": "movielens", "models": "pop"}, "not MovieLens format"),
        ({"protocol": "given", "models": "pop"}, "needs --train"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(ratings_csv, kw, message):
    err = io.StringIO()
    assert run(_options(**{"data": str(ratings_csv), **kw}), io.StringIO(), err) == 2
    assert message in err.getvalue() and "Traceback" not in err.getvalue()


def test_python_dash_m_runs_without_django_and_exits_2_on_bad_input():
    code = ("import runpy, sys; sys.argv=['x', '--data', '/missing.csv', '--models', 'pop']\n"
            "try:\n    runpy.run_module('recommender.engine', run_name='__main__')\n"
            "except SystemExit as e:\n    assert 'django' not in sys.modules; sys.exit(e.code)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "error: " in proc.stderr and "Traceback" not in proc.stderr
