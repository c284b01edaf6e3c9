"""Architecture rules from BRIEF.md, checked in fresh interpreters."""

import ast
import shlex
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


def _procfile() -> dict[str, list[str]]:
    entries = {}
    for line in (ROOT / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            argv = shlex.split(command)
            entries[name.strip()] = argv[1:] if argv[:1] == ["exec"] else argv  # `exec`: no shell in between
    return entries


def _celery_options(argv: list[str]) -> tuple[str, dict[str, list[str]]]:
    """``celery -A workers worker -Q gpu --pool=solo -c 1`` -> ("worker", {"-A": ["workers"], "-Q": ["gpu"], ...}),
    with long and short spellings folded together (``--pool``/``-P``, ``--concurrency``/``-c``, ``--queues``/``-Q``)."""
    aliases = {"--app": "-A", "--queues": "-Q", "--pool": "-P", "--concurrency": "-c", "--hostname": "-n"}
    assert Path(argv[0]).name == "celery", argv
    options: dict[str, list[str]] = {}
    command, i = None, 1
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-"):
            key, eq, value = arg.partition("=")
            if not eq:
                if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                    value, i = argv[i + 1], i + 1
                else:
                    value = ""
            options.setdefault(aliases.get(key, key), []).append(value)
        elif command is None:
            command = arg
        i += 1
    return command, options


def test_procfile_gpu_worker_consumes_only_the_gpu_queue_one_task_at_a_time():
    entries = _procfile()
    assert "gpu" in entries, "the Procfile starts a gpu-queue worker"
    command, opts = _celery_options(entries["gpu"])
    assert command == "worker" and opts["-A"] == ["workers"]
    assert [q for value in opts["-Q"] for q in value.split(",")] == ["gpu"], "only the gpu queue"
    assert opts["-P"] == ["solo"] and opts["-c"] == ["1"] and opts["--prefetch-multiplier"] == ["1"]


def test_procfile_starts_a_default_queue_worker_and_beat_under_distinct_names():
    workers = {}
    beat = []
    for name, argv in _procfile().items():
        if Path(argv[0]).name != "celery":
            continue
        command, opts = _celery_options(argv)
        assert opts.get("-A") == ["workers"], name
        if command == "worker":
            workers[name] = ([q for value in opts.get("-Q", []) for q in value.split(",")], opts.get("-n", []))
        elif command == "beat":
            beat.append(name)
    default = [name for name, (queues, _) in workers.items() if "default" in queues]
    assert len(default) == 1, workers
    assert "gpu" not in workers[default[0]][0], "GPU work never lands on the prefork default worker"
    assert len(beat) == 1, "exactly one beat scheduler (two would send every periodic task twice)"
    names = [node for _, nodes in workers.values() for node in nodes]
    assert len(names) == len(workers) == len(set(names)), "each worker has its own node name (-n)"
