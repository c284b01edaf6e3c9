"""The events app is the interaction log's only writer: no application module outside it names the model (reads
go through ``courseplatform.events.selectors``, writes through ``courseplatform.events.services``)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_PACKAGES = ("courseplatform", "themes", "recommender", "workers")


def _modules():
    for package in APP_PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or rel.parts[:2] == ("courseplatform", "events"):
                continue
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _offenders(rel, tree) -> list[str]:
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and any(alias.name == "Interaction" for alias in node.names):
            out.append(f"{rel}:{node.lineno} imports Interaction")
        elif isinstance(node, ast.Name) and node.id == "Interaction":
            out.append(f"{rel}:{node.lineno} uses Interaction")
    return out


def test_no_module_outside_the_events_app_imports_or_names_the_interaction_model():
    assert [o for rel, tree in _modules() for o in _offenders(rel, tree)] == []


def test_the_check_sees_a_direct_write():
    source = ("from courseplatform.events.models import EventType, Interaction\n"
              "Interaction.objects.bulk_create([])\n")
    assert _offenders("x.py", ast.parse(source)) == ["x.py:1 imports Interaction", "x.py:2 uses Interaction"]
