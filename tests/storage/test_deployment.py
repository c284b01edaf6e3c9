"""The deployment of README "Running on several machines", on one host: two web processes (gunicorn) and two
workers (``default`` on "machine A", ``gpu`` on "machine B"), each with its own VAR_DIR, MEDIA_ROOT and
private-media directory, sharing only the services: the database (the test database), the broker (RabbitMQ, a
vhost of its own) and the object store (moto's S3 server).

A training run goes through the gpu worker (artifact to the bucket), the default worker rebuilds the feeds from
that artifact, a cover re-render runs on the default worker, and both web nodes serve what the workers made:
covers from the bucket, the learner's feed from the database. No node's local directories gain a file that
another node needs.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from courseplatform.jobs.models import JobStatus
from recommender import services as recommender
from recommender.models import FeedItem, ModelVersion, TrainingRun
from tests.conftest import WorkerProcess, wait_for, worker_env
from tests.recommender.factories import catalogue, planted_interactions
from tests.reliability.conftest import PrivateRabbit, _use_broker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _node_env(root: Path, shared: dict) -> dict:
    root.mkdir()
    return {**shared, "VAR_DIR": str(root), "MEDIA_ROOT": str(root / "media"),
            "LEARNING_MEDIA_ROOT": str(root / "private"), "REDIS_URL": "", "EVENTS_BUFFER_URL": ""}


class WebNode:
    """``gunicorn courseplatform.wsgi`` on a free port (what a web node behind the proxy runs)."""

    def __init__(self, env: dict, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent))
        self.log = log
        self.proc = subprocess.Popen(
            [gunicorn, "courseplatform.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", "1", "--threads", "2"],
            cwd=Path(__file__).resolve().parents[2], env=worker_env(env), stdout=log.open("w"),
            stderr=subprocess.STDOUT, start_new_session=True)

    def ready(self) -> bool:
        if self.proc.poll() is not None:
            raise RuntimeError(f"web node exited:\n{self.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def get(self, path: str, session: str | None = None) -> tuple[int, bytes, dict]:
        request = urllib.request.Request(self.url + path)
        if session:
            request.add_header("Cookie", f"sessionid={session}")
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


@pytest.fixture
def rabbit(settings):
    server = PrivateRabbit()
    undo = _use_broker(settings, server.url, {"confirm_publish": True})
    yield server
    undo()
    server.close()


@pytest.fixture
def nodes(tmp_path, s3_env, rabbit):
    started: list = []

    def start(kind: str, name: str, **kwargs):
        env = _node_env(tmp_path / name, s3_env)
        node = WebNode(env, tmp_path / f"{name}.log") if kind == "web" else WorkerProcess(kwargs["queues"],
                                                                                          extra_env=env)
        started.append(node)
        return node

    yield start
    for node in started:
        node.stop()


def _local_files(root: Path, sub: str) -> list[Path]:
    return [p for p in (root / sub).rglob("*") if p.is_file()] if (root / sub).exists() else []


def test_two_web_nodes_and_two_workers_share_only_the_database_broker_and_object_store(
        nodes, tmp_path, s3_storages_on, s3_server, staff, settings):
    from themes import services as themes

    settings.VAR_DIR = tmp_path / "test-process"  # this process is a node too: it writes nothing locally
    settings.VAR_DIR.mkdir()
    _cats, courses = catalogue(n_categories=3, per_category=4)
    planted_interactions(courses, n_learners=18)
    for course in courses:
        course.published = True
        course.save()

    web1, web2 = nodes("web", "web1"), nodes("web", "web2")
    machine_a = nodes("worker", "machine-a", queues="default")
    machine_b = nodes("worker", "machine-b", queues="gpu")
    wait_for(lambda: web1.ready() and web2.ready(), timeout=90, interval=0.5)

    # a training run on the GPU worker (machine B): the artifact goes to the bucket
    run = recommender.training_request(algorithm="ease", actor=staff)
    done = wait_for(lambda: TrainingRun.objects.filter(
        pk=run.pk, status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).first(), timeout=180)
    assert done.status == JobStatus.SUCCEEDED, done.reason
    version = done.version
    assert s3_server.keys(s3_storages_on, f"artifacts/models/{version.pk}/")
    assert not (tmp_path / "machine-b" / "models").exists()

    # machine A rebuilds the version's feeds from the artifact it has never seen
    FeedItem.objects.filter(version=version).delete()
    ModelVersion.objects.filter(pk=version.pk).update(feed_count=0)
    from workers import app

    app.send_task("recommender.materialise_feeds", args=[version.pk])
    wait_for(lambda: ModelVersion.objects.get(pk=version.pk).feed_count > 0, timeout=120)
    copy = tmp_path / "machine-a" / "cache" / "artifacts" / "models" / str(version.pk)
    assert (copy / "metadata.json").is_file()

    # a storefront's covers re-rendered on machine A land in the bucket
    storefront = courses[0].storefront
    batch = themes.cover_batch_request(storefront=storefront)
    finished = wait_for(lambda: batch.__class__.objects.filter(
        pk=batch.pk, status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).first(), timeout=120)
    assert finished.status == JobStatus.SUCCEEDED, finished.reason
    covers = s3_server.keys(s3_storages_on, "media/covers/")
    assert len(covers) >= 3 * storefront.courses.count()
    assert not _local_files(tmp_path / "machine-a", "media")

    # both web nodes serve the covers machine A rendered, straight from the bucket
    course = storefront.courses.order_by("pk").first()
    for web in (web1, web2):
        status, body, headers = web.get(reverse("themes:course_cover", args=[course.pk]) + "?size=thumb")
        digest = headers["ETag"].strip('"')
        key = f"media/covers/{digest[:2]}/{digest}.webp"
        assert status == 200 and key in covers
        assert body == s3_server.client().get_object(Bucket=s3_storages_on, Key=key)["Body"].read()
    assert s3_server.keys(s3_storages_on, "media/covers/") == covers, "served, not rendered again"

    # and the learner's feed machine A materialised, on either node
    learner = FeedItem.objects.filter(version=version).values_list("user_id", flat=True).first()
    client = Client()
    client.force_login(get_user(learner))
    session = client.cookies["sessionid"].value
    expected = set(FeedItem.objects.filter(version=version, user_id=learner).values_list("course_id", flat=True))
    for web in (web1, web2):
        status, body, _ = web.get("/api/feed", session)
        feed = json.loads(body)
        ids = {item["course"]["id"] for item in feed["items"]}
        assert status == 200 and feed["version"] == version.pk and ids & expected

    for root in ("web1", "web2", "machine-a", "machine-b"):
        assert not _local_files(tmp_path / root, "media") and not _local_files(tmp_path / root, "private")
    assert machine_a.proc.poll() is None and machine_b.proc.poll() is None


def get_user(pk: int):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=pk)
