"""``python manage.py generate_palette``: the Django command, run through ``call_command`` under pytest-django.

No ``django_db`` mark on purpose: pytest-django then refuses any database access, which pins that generating a
palette from the command line needs no database (the engine imports no Django; the command only wraps it).
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .helpers import assert_legal

FAST_FLAGS = ["--starts", "48", "--steps", "10", "--device", "cpu"]


def test_generate_palette_command_writes_the_documented_json(tmp_path, monkeypatch):
    monkeypatch.setenv("COLORTERM", "")
    out = tmp_path / "out" / "palettes.json"
    stdout = io.StringIO()
    call_command("generate_palette", "--brand", "#1E88E5", "--lock", "#1E88E5", "--keywords", "tech,trust,zzz",
                 "--k", "6", "--candidates", "2", "--seed", "0", "--json", str(out), *FAST_FLAGS, stdout=stdout)

    data = json.loads(out.read_text(encoding="utf-8"))
    assert {"palettes", "device", "seconds"} <= set(data)
    assert data["device"] == "cpu" and data["seconds"] > 0
    assert data["unknown_keywords"] == ["zzz"]
    assert data["brief"]["k"] == 6 and data["brief"]["seed"] == 0 and data["brief"]["locks"] == [["#1E88E5", "primary"]]
    assert 1 <= len(data["palettes"]) <= 2
    for palette in data["palettes"]:
        assert set(palette["colors"]) >= {"background", "surface", "text", "primary", "secondary", "accent"}
        assert set(palette["dark"]) == set(palette["colors"])
        assert set(palette["scores"]) == {"U", "H", "V", "B"}
        assert palette["colors"]["primary"] == "#1E88E5"
        assert set(palette["contrast"]) == {"light", "dark"}
        assert_legal(palette, 6)

    text = stdout.getvalue()
    assert "#1E88E5" in text and "text/bg" in text and f"wrote {out}" in text
    assert "\x1b[" not in text  # no truecolour swatches when the terminal does not announce support


def test_generate_palette_command_is_deterministic_for_a_seed(tmp_path):
    paths = [tmp_path / "a.json", tmp_path / "b.json"]
    for path in paths:
        call_command("generate_palette", "--brand", "#2E7D32", "--keywords", "成长", "--k", "4", "--candidates", "1",
                     "--seed", "3", "--json", str(path), *FAST_FLAGS, stdout=io.StringIO())
    a, b = (json.loads(p.read_text(encoding="utf-8")) for p in paths)
    assert [p["colors"] for p in a["palettes"]] == [p["colors"] for p in b["palettes"]]
    assert [p["dark"] for p in a["palettes"]] == [p["dark"] for p in b["palettes"]]


def test_generate_palette_command_rejects_bad_input_with_command_error_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "never.json"
    with pytest.raises(CommandError) as info:
        call_command("generate_palette", "--k", "12", "--json", str(out), *FAST_FLAGS, stdout=io.StringIO())
    assert info.value.returncode == 2
    assert "from 3 to 10" in capsys.readouterr().err
    assert not out.exists()
