"""Training tasks: the real ``gpu`` worker round trip, redelivery, the CUDA-OOM fallback and the beat entry."""

import pytest

from courseplatform.jobs.models import JobStatus
from recommender import services
from recommender.models import ModelVersion, TrainingRun
from tests.conftest import wait_for
from tests.recommender.factories import catalogue, planted_interactions


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_training_runs_through_a_real_gpu_queue_worker(start_worker, settings):
    from workers import app

    _cats, courses = catalogue(n_categories=3, per_category=4)
    planted_interactions(courses, n_learners=18)
    start_worker("gpu", extra_env={"VAR_DIR": str(settings.VAR_DIR)})
    run = services.training_request(algorithm="ease")
    done = wait_for(lambda: TrainingRun.objects.filter(
        pk=run.pk, status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).first(), timeout=120)
    assert done.status == JobStatus.SUCCEEDED, done.reason
    assert done.progress == 1.0 and done.attempts == 1 and done.device in ("cpu", "cuda")
    version = done.version
    assert version.is_active and version.feed_count > 0 and version.device == done.device
    assert (settings.VAR_DIR / "models" / str(version.pk) / "metadata.json").is_file()
    # a redelivered message for a finished run does nothing
    app.send_task("recommender.train_model", args=[run.pk])
    app.send_task("jobs.heartbeat", args=["gpu"], queue="gpu")  # processed after the redelivery (prefetch 1)
    from courseplatform.jobs.models import WorkerHeartbeat

    wait_for(lambda: WorkerHeartbeat.objects.filter(queue="gpu").exists(), timeout=60)
    assert ModelVersion.objects.count() == 1
    assert TrainingRun.objects.get(pk=run.pk).attempts == 1


@pytest.mark.django_db
def test_cuda_out_of_memory_falls_back_to_cpu_and_says_so(monkeypatch):
    import torch

    from recommender import tasks, training

    _cats, courses = catalogue(n_categories=3, per_category=4)
    planted_interactions(courses, n_learners=12)
    original = training.train_version
    devices = []

    def flaky(**kwargs):
        devices.append(kwargs["device"])
        if kwargs["device"] == "cuda":
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB (test)")
        return original(**kwargs)

    monkeypatch.setattr(training, "train_version", flaky)
    monkeypatch.setattr("workers.devices.select_device", lambda preferred="auto": "cuda")
    monkeypatch.setattr(torch.cuda, "empty_cache", lambda: None)
    run = TrainingRun.objects.create(algorithm="pop")
    tasks.train_model(run.pk)
    run.refresh_from_db()
    assert devices == ["cuda", "cpu"]
    assert run.status == JobStatus.SUCCEEDED and run.device == "cpu"
    assert run.fallback_note == tasks.OOM_NOTE and tasks.OOM_NOTE in run.reason
    assert run.version.device == "cpu"


@pytest.mark.django_db
def test_a_run_without_data_fails_with_a_reason():
    from recommender import tasks

    run = TrainingRun.objects.create()
    tasks.train_model(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.FAILED and "no learner interactions" in run.reason


@pytest.mark.django_db
def test_beat_entry_queues_one_run_at_a_time(django_capture_on_commit_callbacks):
    from recommender import tasks

    with django_capture_on_commit_callbacks() as callbacks:
        first = tasks.schedule_training()
        second = tasks.schedule_training()
    assert first is not None and second is None and len(callbacks) == 1
    assert TrainingRun.objects.get(pk=first).status == JobStatus.QUEUED


@pytest.mark.django_db
def test_a_redelivery_while_the_run_is_alive_checks_again_later():
    from celery.exceptions import Retry
    from django.utils import timezone

    from recommender import tasks

    run = TrainingRun.objects.create(status=JobStatus.RUNNING, attempts=1, heartbeat_at=timezone.now())
    with pytest.raises(Retry):
        tasks.train_model(run.pk)
    run.refresh_from_db()
    assert run.status == JobStatus.RUNNING and run.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_keeps_a_long_fit_fresh(settings, monkeypatch):
    import time

    from recommender import tasks

    settings.JOBS_HEARTBEAT_STALE_S = 1.5  # a beat every 0.5 s
    seen = []

    def slow_fit(run, *, device, progress=None):
        start = TrainingRun.objects.get(pk=run.pk).heartbeat_at
        time.sleep(1.6)
        seen.append(TrainingRun.objects.get(pk=run.pk).heartbeat_at > start)
        raise tasks_training.TrainingError("stop here")

    from recommender import training as tasks_training

    monkeypatch.setattr(tasks_training, "training_run_execute", slow_fit)
    run = TrainingRun.objects.create()
    tasks.train_model(run.pk)
    assert seen == [True]
    assert TrainingRun.objects.get(pk=run.pk).status == JobStatus.FAILED
