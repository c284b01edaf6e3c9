"""Workers know no plugin: routes and beat entries come from the installed apps' configs; one device helper
serves every GPU-queue task (palette jobs and recommender training)."""

import pytest
from django.apps import apps

from workers import app, devices, routing


def test_each_installed_app_declares_its_gpu_routes_and_the_rest_goes_to_default():
    router = app.amqp.router
    assert router.route({}, "themes.run_palette_job")["queue"].name == "gpu"
    assert router.route({}, "themes.extract_logo_colours")["queue"].name == "gpu"
    assert router.route({}, "recommender.train_model")["queue"].name == "gpu"
    assert router.route({}, "recommender.materialise_feeds")["queue"].name == "default"
    assert router.route({}, "jobs.sweep")["queue"].name == "default"
    declared = {name for config in apps.get_app_configs() for name in getattr(config, "celery_task_routes", {})}
    assert declared == {"themes.run_palette_job", "themes.extract_logo_colours", "recommender.train_model"}


def test_the_beat_schedule_holds_the_workers_entries_and_the_installed_apps_entries():
    schedule = dict(app.conf.beat_schedule)
    assert {"sweep-jobs", "heartbeat-default", "heartbeat-gpu"} <= set(schedule)
    assert schedule["retrain-recommender"]["task"] == "recommender.schedule_training"


def test_an_app_removed_from_installed_apps_takes_its_routes_and_beat_entries_with_it(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "recommender"]
    assert "recommender.train_model" not in routing.task_routes()
    assert routing.route_task("recommender.train_model") == routing.DEFAULT_ROUTE
    assert "retrain-recommender" not in routing.beat_schedule()
    assert routing.route_task("themes.run_palette_job") == {"queue": "gpu"}


def _oom():
    import torch  # requirements: always installed (a missing torch fails, it never skips)
    return torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (test)")


def test_cuda_out_of_memory_runs_the_work_again_on_the_cpu(monkeypatch):
    monkeypatch.setattr(devices, "select_device", lambda preferred="auto": "cuda")
    monkeypatch.setattr(devices, "free_cuda_memory", lambda: None)
    calls, notes = [], []

    def work(device):
        calls.append(device)
        if device == "cuda":
            raise _oom()
        return 42

    outcome = devices.run_on_device(work, on_fallback=notes.append)
    assert calls == ["cuda", "cpu"] and notes == [devices.OOM_NOTE]
    assert (outcome.result, outcome.device, outcome.note) == (42, "cpu", devices.OOM_NOTE)


def test_other_errors_are_not_retried_and_a_missing_gpu_is_noted(monkeypatch):
    monkeypatch.setattr(devices, "select_device", lambda preferred="auto": "cuda")
    with pytest.raises(ValueError):
        devices.run_on_device(lambda device: (_ for _ in ()).throw(ValueError("bad brief")))
    monkeypatch.setattr(devices, "select_device", lambda preferred="auto": "cpu")
    outcome = devices.run_on_device(lambda device: device, "cuda")
    assert (outcome.result, outcome.note) == ("cpu", devices.NO_CUDA_NOTE)
    with pytest.raises(RuntimeError):  # an out-of-memory error on the CPU is not retried
        devices.run_on_device(lambda device: (_ for _ in ()).throw(RuntimeError("CUDA out of memory")), "auto")
