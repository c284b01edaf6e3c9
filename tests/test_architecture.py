"""Architecture rules from BRIEF.md, checked in fresh interpreters."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGINES = ["themes.palette", "themes.covers", "recommender.engine"]
FORBIDDEN_TOP_LEVEL = {"platform", "site", "profile", "email", "queue", "calendar", "secrets", "types",
                       "colour", "celery", "torch", "PIL", "django", "numpy", "uuid", "json", "logging"}


def run_python(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("engine", ENGINES)
def test_engine_imports_without_loading_django(engine):
    if not (ROOT / engine.replace(".", "/")).exists():
        pytest.skip(f"{engine} not present")
    out = run_python(
        f"import sys, importlib; importlib.import_module({engine!r}); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django','celery','courseplatform','workers')))"
    )
    assert out == "[]"


def test_engines_do_not_import_django_in_source():
    offenders = []
    for engine in ENGINES:
        for path in (ROOT / engine.replace(".", "/")).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                for name in names:
                    if name.split(".")[0] in ("django", "celery", "courseplatform", "workers"):
                        offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_web_tier_never_imports_torch():
    out = run_python(
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.test'; "
        "import django; django.setup(); import courseplatform.urls, courseplatform.wsgi; "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import workers; "
        "print('torch' in sys.modules)"
    )
    assert out == "False"


def test_worker_parent_never_initialises_cuda():
    out = run_python(
        "import os, sys; os.environ['DJANGO_SETTINGS_MODULE']='courseplatform.settings.test'; "
        "import django; django.setup(); import workers; workers.app.loader.import_default_modules(); "
        "t = sys.modules.get('torch'); "
        "print(bool(t and t.cuda.is_initialized()), os.environ.get('PYTORCH_NVML_BASED_CUDA_CHECK'))"
    )
    assert out == "False 1"


def test_no_top_level_package_shadows_stdlib_or_dependency():
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in ROOT.glob("*.py")}
    stdlib = set(sys.stdlib_module_names)
    clashes = {name for name in packages | modules if name in stdlib or name in FORBIDDEN_TOP_LEVEL}
    assert clashes == set()


def test_app_labels_do_not_shadow_stdlib(settings):
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}
    assert not labels & (set(sys.stdlib_module_names) | FORBIDDEN_TOP_LEVEL)


@pytest.mark.parametrize("module", ["models", "services", "selectors", "views", "tasks"])
def test_django_modules_do_not_import_torch_at_module_level(module):
    offenders = []
    for path in ROOT.glob(f"**/{module}.py"):
        if ".venv" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only; imports inside functions are the rule
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                if any(n.split(".")[0] == "torch" for n in names):
                    offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
