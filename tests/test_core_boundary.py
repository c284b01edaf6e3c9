"""The core knows no plugin (issue 13): no module under courseplatform/ outside the composition root imports
``themes`` or ``recommender`` (top level, inside a function, or by name through ``import_module``), no core
template loads their tag libraries or names their URLs, and the two plugins never import each other.
import-linter (``lint-imports``, .importlinter) enforces the module-level arrows as well; this also covers
templates and dynamic imports."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = ROOT / "courseplatform"
#: the composition root: the one place allowed to name every app
COMPOSITION_ROOT = {"settings", "urls.py", "wsgi.py", "asgi.py", "demo"}
PLUGINS = ("themes", "recommender")


def _core_files(pattern: str) -> list[Path]:
    return [p for p in CORE.rglob(pattern)
            if p.relative_to(CORE).parts[0] not in COMPOSITION_ROOT and "migrations" not in p.parts]


def imported_names(path: Path) -> list[str]:
    """Every module ``path`` imports: ``import``/``from`` anywhere in the file, and string arguments of
    ``import_module(...)`` / ``importlib.import_module(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
              and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            names.append(node.args[0].value)
    return names


def test_no_core_module_imports_a_plugin():
    offenders = [f"{p.relative_to(ROOT)} imports {name}" for p in _core_files("*.py")
                 for name in imported_names(p) if name.split(".")[0] in PLUGINS]
    assert offenders == []


TEMPLATE_REFERENCE = re.compile(r"\{%\s*load\s[^%]*\b(themes_tags|recommender_tags)\b|['\"](themes|recommender):")


def test_no_core_template_loads_plugin_tags_or_names_plugin_urls():
    offenders = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p in _core_files("*.html")
                 for m in TEMPLATE_REFERENCE.finditer(p.read_text(encoding="utf-8"))]
    assert offenders == []


@pytest.mark.parametrize(("plugin", "other"), [("themes", "recommender"), ("recommender", "themes")])
def test_plugins_do_not_import_each_other(plugin, other):
    offenders = [f"{p.relative_to(ROOT)} imports {name}" for p in (ROOT / plugin).rglob("*.py")
                 for name in imported_names(p) if name.split(".")[0] == other]
    assert offenders == []


def test_the_scan_sees_imports_inside_functions_and_import_module(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import importlib\n\ndef f():\n    from themes import selectors\n"
                     "    importlib.import_module('recommender.models')\n")
    assert imported_names(probe) == ["importlib", "themes", "recommender.models"]
