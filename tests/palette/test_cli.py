"""The command line: python -m themes.palette and the shared run()/add_arguments() the Django command wraps."""

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from themes.palette.cli import OPTION_NAMES, add_arguments, format_table, run

from .helpers import assert_legal

ROOT = Path(__file__).resolve().parents[2]


def _options(**overrides):
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    options = vars(parser.parse_args(["--starts", "48", "--steps", "10", "--device", "cpu"]))
    options.update(overrides)
    return options


def test_parser_defines_exactly_the_issue_flags():
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    dests = {a.dest for a in parser._actions if a.dest != "help"}
    assert dests == set(OPTION_NAMES)


def test_run_prints_table_and_writes_json(tmp_path):
    out = tmp_path / "nested" / "out.json"
    stdout = io.StringIO()
    code = run(_options(brand=["#1E88E5"], lock=["#1E88E5"], keywords="tech,trust,zzz", candidates=2,
                        json=str(out), verbosity=1), stdout)
    assert code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["palettes"]) == 2 and data["device"] == "cpu" and data["unknown_keywords"] == ["zzz"]
    for palette in data["palettes"]:
        assert_legal(palette, 6)
        assert palette["colors"]["primary"] == "#1E88E5"
    text = stdout.getvalue()
    assert "#1E88E5" in text and "text/bg" in text and "unknown keywords" in text


def test_run_reports_bad_input_on_stderr_with_exit_code_2():
    stdout, stderr = io.StringIO(), io.StringIO()
    assert run(_options(brand=["#XYZ"]), stdout, stderr) == 2
    assert "is not a #rrggbb hex colour" in stderr.getvalue()
    assert "Traceback" not in stderr.getvalue()


def test_truecolour_swatches_only_when_asked():
    result = {
        "palettes": [
            {
                "rank": 1,
                "scores": {"U": 1.0, "H": 0.3, "V": 0.4, "B": 0.3},
                "colors": {"background": "#FFFFFF", "surface": "#F0F0F0", "text": "#000000", "primary": "#1E88E5"},
                "dark": {"background": "#000000", "surface": "#111111", "text": "#FFFFFF", "primary": "#1E88E5"},
                "contrast": {
                    v: {"text/background": 21.0, "text/surface": 18.0, "primary/background": 3.7} for v in ("light", "dark")
                },
                "distances": {v: {"background/surface": 5.0} for v in ("light", "dark")},
                "brand": [],
            }
        ],
        "device": "cpu",
        "seconds": 0.1,
        "steps_done": 1,
        "unknown_keywords": [],
        "warnings": [],
    }
    assert "\x1b[48;2;30;136;229m" in format_table(result, truecolour=True)
    assert "\x1b[" not in format_table(result, truecolour=False)


def test_python_dash_m_runs_without_django(tmp_path):
    out = tmp_path / "p.json"
    env = {**os.environ, "COLORTERM": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    args = ["--brand", "#2E7D32", "--lock", "#2E7D32", "--keywords", "growth", "--k", "5", "--candidates", "1",
            "--starts", "32", "--steps", "5", "--device", "cpu", "--json", str(out)]
    proc = subprocess.run([sys.executable, "-m", "themes.palette", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["palettes"][0]["colors"]["primary"] == "#2E7D32"
    bad = subprocess.run([sys.executable, "-m", "themes.palette", "--k", "12"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert "from 3 to 10" in bad.stderr and "Traceback" not in bad.stderr


def test_engine_imports_without_django_or_celery():
    code = (
        "import sys, themes.palette, themes.palette.cli; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'celery', 'courseplatform', 'workers')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
