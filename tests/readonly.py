"""A read-only check for tests: records every INSERT, UPDATE or DELETE issued while a template renders, a
selector runs or a plugin hook answers.

Mechanism: a ``connection.execute_wrapper`` installed for the whole block counts a statement as a violation only
while a guarded call is on the stack. Guarded calls: the Django template backend's ``Template.render`` (every
``render``, ``render_to_string`` and ``TemplateResponse``, includes and tags inside them), ``courseplatform.hooks``
``call`` / ``call_flat`` / ``first``, and every public function of each installed app's ``selectors`` module
reached through the module attribute (``selectors.f(...)``; a name imported with ``from … import f`` before the
patch is not seen). Views themselves may write through services: they are not guarded.

Writes to the database cache table are not counted: a cache fill is a memo, not data (production uses Redis).
"""

import importlib
import inspect
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.template.backends.django import Template
from django.utils.module_loading import module_has_submodule

from courseplatform import hooks

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _cache_tables() -> tuple[str, ...]:
    return tuple(c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache"))


@dataclass
class WriteGuard:
    writes: list[tuple[str, str]] = field(default_factory=list)  # (guarded call, statement)
    stack: list[str] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if self.stack and statement.startswith(WRITE_VERBS) and not any(t.upper() in statement
                                                                         for t in _cache_tables()):
            self.writes.append((self.stack[-1], sql[:300]))
        return execute(sql, params, many, context)

    def guarded(self, label: str, function):
        def call(*args, **kwargs):
            self.stack.append(label)
            try:
                return function(*args, **kwargs)
            finally:
                self.stack.pop()
        call.__wrapped__ = function
        return call


def _selector_functions():
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "selectors"):
            module = importlib.import_module(f"{config.name}.selectors")
            for name, obj in vars(module).items():
                if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                    yield module, name, obj


@contextmanager
def reads_never_write(monkeypatch):
    """Yield a :class:`WriteGuard`; assert ``guard.writes == []`` after the requests."""
    guard = WriteGuard()
    monkeypatch.setattr(Template, "render", guard.guarded("template render", Template.render))
    for name in ("call", "call_flat", "first"):
        monkeypatch.setattr(hooks, name, guard.guarded(f"hook {name}", getattr(hooks, name)))
    for module, name, function in _selector_functions():
        monkeypatch.setattr(module, name, guard.guarded(f"{module.__name__}.{name}", function))
    with connection.execute_wrapper(guard):
        yield guard
