"""A web process freezes what it holds at start-up and after its first requests (courseplatform/web_gc.py)."""

import gc
from pathlib import Path

import pytest
from django.core.signals import request_finished

from courseplatform import web_gc

ROOT = Path(__file__).resolve().parents[1]
LOGIN = "/accounts/login/"


def _frozen(obj: object) -> bool:
    return not any(o is obj for o in gc.get_objects())  # the permanent generation is not listed


def _armed() -> bool:
    return any(key[0] == "web_gc" for key, *_ in request_finished.receivers)


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid="web_gc")
    gc.unfreeze()


def test_arm_freezes_start_up_objects_at_once(unfrozen):
    web_gc.arm(after_requests=0)

    assert gc.get_freeze_count() > 1000
    assert not _armed()


def test_what_the_first_requests_loaded_is_frozen_after_the_set_number_of_requests(unfrozen, client):
    web_gc.arm(after_requests=3)
    loaded_lazily = {"loaded": [1, 2]}  # a container: tracked by the collector

    client.get(LOGIN)
    client.get(LOGIN)
    assert not _frozen(loaded_lazily)  # two requests of three: not yet

    client.get(LOGIN)
    assert _frozen(loaded_lazily)
    assert not _armed()  # once: later requests count nothing


def test_gunicorn_started_in_the_checkout_arms_it_in_each_worker(unfrozen, settings):
    from gunicorn.config import Config

    assert Config().settings["config"].default == "./gunicorn.conf.py"  # read from the directory it starts in
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    settings.WEB_GC_FREEZE_AFTER_REQUESTS = 5

    namespace["post_worker_init"](object())

    assert gc.get_freeze_count() > 1000
    assert _armed()


def test_a_negative_setting_turns_it_off(unfrozen):
    web_gc.arm(after_requests=-1)

    assert gc.get_freeze_count() == 0
    assert not _armed()


def test_a_failing_arm_is_logged_and_the_worker_still_boots(unfrozen, monkeypatch, caplog):
    namespace: dict = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)

    def broken(*args, **kwargs):
        raise RuntimeError("settings not configured")

    monkeypatch.setattr(web_gc, "arm", broken)
    namespace["post_worker_init"](object())  # does not raise

    assert "web_gc.arm failed" in caplog.text
