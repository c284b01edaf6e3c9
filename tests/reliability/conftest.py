"""Fault-test fixtures: a private Redis the test may kill, real worker processes, and a guard for the shared Redis.

Every fault test gets its own ``redis-server`` on a free loopback port (no persistence, like the shared one),
so stopping, restarting or flushing it never disturbs another test run on the shared Redis at 6379, and a
concurrent run's ``flushdb`` on the shared Redis cannot drop this test's messages. The web side (this
process's Celery app) and the worker subprocesses both point at it.
"""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from tests.conftest import WorkerProcess, redis_available, wait_for
from tests.tools import require

SHARED_REDIS_URL = "redis://127.0.0.1:6379/15"
SHARED_REDIS_RESTART = [
    "redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "-::1", "--port", "6379", "--save", "",
    "--appendonly", "no", "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log",
]
#: A palette brief that keeps the CPU busy for well over 10 s (about 12 ms per step with 64 starts).
LONG_BRIEF = {"brand_colors": ["#1e88e5"], "locks": [["#1e88e5", "primary"]], "keywords": "tech, trust",
              "k": 6, "alpha": 1.0, "beta": 1.0, "gamma": 1.0, "candidates": 2, "seed": 0, "starts": 64,
              "steps": 3000}
#: Used to shorten the re-run after a fault (the re-run reads the brief from the job's row).
SHORT_STEPS = 15


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A ``redis-server`` subprocess owned by one test: ``stop()`` is SHUTDOWN NOSAVE, ``start()`` a fresh one."""

    def __init__(self):
        self.binary = shutil.which("redis-server")
        require(self.binary is not None, "redis-server (the fault tests' private Redis)", "redis-server",
                "SKIP_REDIS")
        self.port = _free_port()
        self.dir = tempfile.mkdtemp(prefix="cp-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_for(lambda: redis_available(self.url), timeout=10, interval=0.05)

    def stop(self) -> None:
        """``SHUTDOWN NOSAVE``: the queue is gone, as with the production Redis that keeps nothing on disk."""
        import redis

        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            redis.Redis.from_url(self.url).shutdown(nosave=True)
        except Exception:  # redis-py raises ConnectionError when the server goes away mid-command
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=1)

    def queue_length(self, queue: str) -> int:
        return int(self.client().llen(queue))

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(autouse=True)
def shared_redis_stays_up():
    """The shared Redis (127.0.0.1:6379) is running at the end of every fault test."""
    yield
    if shutil.which("redis-server") and not redis_available(SHARED_REDIS_URL):
        subprocess.run(SHARED_REDIS_RESTART, check=False, timeout=30)
        wait_for(lambda: redis_available(SHARED_REDIS_URL), timeout=10)


class PrivateRabbit:
    """A vhost of its own on the local RabbitMQ (``amqp://guest:guest@127.0.0.1:5672``), so no other run's
    messages mix with this test's. ``stop()``/``start()`` restart the broker application of the node
    (``rabbitmqctl stop_app``/``start_app``): every vhost's connections drop; durable queues and persistent
    messages (Celery's default) survive."""

    HOST = "127.0.0.1:5672"
    #: Test runs on one machine (CI runs the SQLite and PostgreSQL suites side by side) share the node: each
    #: vhost holds this lock shared, and a broker restart takes it exclusively, so no other run's test is using
    #: RabbitMQ while the application is stopped.
    LOCK = Path(tempfile.gettempdir()) / "courseplatform-tests-rabbitmq.lock"

    def __init__(self):
        self.ctl = shutil.which("rabbitmqctl")
        require(self.ctl is not None, "rabbitmqctl (the RabbitMQ broker the fault tests also run on)",
                "rabbitmq-server", "SKIP_REDIS")
        self._lock = open(self.LOCK, "a")  # noqa: SIM115 -- held until close()
        fcntl.flock(self._lock, fcntl.LOCK_SH)
        self.vhost = f"cp-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.url = f"amqp://guest:guest@{self.HOST}/{self.vhost}"
        wait_for(self.answers, timeout=30, interval=0.5)
        self._ctl("add_vhost", self.vhost)
        self._ctl("set_permissions", "-p", self.vhost, "guest", ".*", ".*", ".*")

    def _ctl(self, *args: str) -> None:
        subprocess.run([self.ctl, "-q", *args], check=True, timeout=60, stdout=subprocess.DEVNULL)

    def answers(self) -> bool:
        from kombu import Connection

        try:
            with Connection(f"amqp://guest:guest@{self.HOST}//", connect_timeout=1) as conn:
                conn.connect()
            return True
        except Exception:
            return False

    def stop(self) -> None:
        fcntl.flock(self._lock, fcntl.LOCK_EX)  # waits for other runs' RabbitMQ tests to finish
        self._ctl("stop_app")

    def start(self) -> None:
        self._ctl("start_app")
        self._ctl("await_startup")
        wait_for(self.answers, timeout=30, interval=0.2)

    def queue_length(self, queue: str) -> int:
        from kombu import Connection

        with Connection(self.url, connect_timeout=2) as conn:
            try:
                return conn.default_channel.queue_declare(queue, passive=True).message_count
            except Exception:  # not declared yet: empty
                return 0

    def close(self) -> None:
        if not self.answers():
            self.start()
        subprocess.Popen([self.ctl, "-q", "delete_vhost", self.vhost], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)  # no need to wait for it
        self._lock.close()  # releases the lock


def _use_broker(settings, url: str, options: dict):
    """Point this process's Celery app, and every worker a test starts, at ``url``; returns the undo."""
    from workers import app

    saved = (app.conf.broker_url, dict(app.conf.broker_transport_options or {}))
    settings.CELERY_BROKER_URL = url  # read by tests.conftest.worker_env for the workers
    app.conf.broker_url = url
    app.conf.broker_transport_options = options
    app._after_fork()  # drop pooled connections to the old broker (Celery's own reset after fork)

    def undo():
        app.conf.broker_url, app.conf.broker_transport_options = saved
        app._after_fork()

    return undo


@pytest.fixture
def private_redis(settings):
    """A private Redis that this process's Celery app and every worker started by the test use as broker."""
    from workers import app

    server = PrivateRedis()
    undo = _use_broker(settings, server.url, dict(app.conf.broker_transport_options or {}))
    try:
        yield server
    finally:
        undo()
        server.close()


@pytest.fixture
def private_rabbitmq(settings):
    """A private RabbitMQ vhost that this process's Celery app and every worker started by the test use."""
    server = PrivateRabbit()
    undo = _use_broker(settings, server.url, {"confirm_publish": True})
    try:
        yield server
    finally:
        undo()
        server.close()


@pytest.fixture
def fault_broker(private_redis):
    """The broker the fault workers use: the private Redis; a module overrides it to run on RabbitMQ too."""
    return private_redis


@pytest.fixture(params=["redis", "rabbitmq"])
def either_broker(request):
    """Run the test once on a private Redis and once on a private RabbitMQ vhost."""
    return request.getfixturevalue(f"private_{request.param}")


@pytest.fixture
def fault_worker(fault_broker, transactional_db):
    """Start real ``celery worker`` subprocesses on the test's broker; all are stopped (or killed) at the end."""
    started: list[WorkerProcess] = []

    def start(queues: str = "gpu", **kwargs) -> WorkerProcess:
        # WorkerProcess names its log after TMPDIR, our pid and the queues: give each worker its own folder
        saved = os.environ.get("TMPDIR")
        os.environ["TMPDIR"] = tempfile.mkdtemp(prefix="cp-worker-")
        try:
            worker = WorkerProcess(queues, **kwargs)
        finally:
            if saved is None:
                os.environ.pop("TMPDIR", None)
            else:
                os.environ["TMPDIR"] = saved
        started.append(worker)
        return worker

    yield start
    for worker in started:
        try:
            worker.stop()
        except ProcessLookupError:
            pass
        shutil.rmtree(Path(worker.log).parent, ignore_errors=True)


def pool_children(worker: WorkerProcess) -> list[int]:
    """Pids of the prefork pool children of ``worker`` (``pgrep -P``)."""
    out = subprocess.run(["pgrep", "-P", str(worker.proc.pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in out.stdout.split()]


def kill_pid(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)


def worker_log(worker: WorkerProcess) -> str:
    return Path(worker.log).read_text(errors="replace")[-4000:]


def running_with_progress(model, pk: int, at_least: float = 0.02):
    return model.objects.filter(pk=pk, status="running", progress__gte=at_least).first()


def finished(model, pk: int):
    return model.objects.filter(pk=pk, status__in=["succeeded", "failed"]).first()

