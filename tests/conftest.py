import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.factories import CourseFactory, CreatorFactory, StaffFactory, StorefrontFactory, UserFactory
from tests.tools import require

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _reset_language():
    """A request to a /zh-hans/ URL leaves its language active in this thread; don't leak it."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _cache_starts_empty(django_db_blocker):
    """Each test starts with an empty default cache once the test database exists. The database cache's table is
    not part of the test database's flush, so a value one test cached (the active model version, a popular-courses
    table, a rendered feed) would outlive the rows it describes and show up in the next test."""
    from django.core.cache import cache
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if name == str(connection.settings_dict["TEST"].get("NAME")) or name.startswith("test_"):  # set up
        with django_db_blocker.unblock():
            cache.clear()
    yield


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def creator(db):
    return CreatorFactory()


@pytest.fixture
def other_creator(db):
    return CreatorFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def reviewer(db):
    """Staff with the palette-approval permission (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = StaffFactory(is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="approve_palette"))
    return user


@pytest.fixture
def storefront(creator):
    return StorefrontFactory(owner=creator)


@pytest.fixture
def course(storefront):
    return CourseFactory(storefront=storefront)


def redis_available(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:
        return False


def worker_env(extra: dict | None = None) -> dict:
    """Environment for a worker subprocess that sees the test database and the test broker."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "courseplatform.settings.test",
        "DATABASE_URL": url,
        "TEST_CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTORCH_NVML_BASED_CUDA_CHECK": "1",
        "PYTHONPATH": str(ROOT),
    }
    env.update(extra or {})
    return env


class WorkerProcess:
    """A real ``celery worker`` subprocess consuming the given queues."""

    def __init__(self, queues: str, pool: str = "solo", concurrency: int = 1, extra_env: dict | None = None):
        self.log = Path(os.environ.get("TMPDIR", "/tmp")) / f"celery-worker-{os.getpid()}-{queues}.log"
        celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.proc = subprocess.Popen(
            [celery, "-A", "workers", "worker", "-Q", queues, f"--pool={pool}", "-c", str(concurrency),
             "-n", f"test-{queues.replace(',', '-')}-{os.getpid()}@%h", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--prefetch-multiplier=1"],
            cwd=ROOT, env=worker_env(extra_env), stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log.read_text()[-3000:]}")
            if "ready." in self.log.read_text():
                return
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log.read_text()[-3000:]}")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker(settings):
    url = settings.CELERY_BROKER_URL
    require(redis_available(url), f"Redis at {url} (the worker tests' broker)", "redis-server", "SKIP_REDIS")
    import redis

    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def start_worker(broker, transactional_db):
    workers: list[WorkerProcess] = []

    def start(queues: str = "default", **kwargs) -> WorkerProcess:
        worker = WorkerProcess(queues, **kwargs)
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@pytest.fixture
def redis_round_trips(monkeypatch):
    """The Redis commands this process sends, one entry per round trip (a pipeline or script is one): the
    first command's name, upper case. Counted client-side: the server's own statistics include every other
    process sharing it (CI runs two suites side by side)."""
    from redis.connection import AbstractConnection

    sent: list[str] = []
    original = AbstractConnection.send_packed_command

    def send(self, command, *args, **kwargs):
        data = command if isinstance(command, bytes | str) else b"".join(
            c if isinstance(c, bytes) else bytes(c) for c in command)
        data = data.encode() if isinstance(data, str) else data
        sent.append(data.split(b"\r\n")[2].decode().upper())
        return original(self, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", send)
    return sent


def wait_for(predicate, timeout: float = 60, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


# --- browser tests (Playwright driving Debian's headless Chromium) ---------------------------------

SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (module scope: two Playwright loops never overlap)."""
    require(CHROMIUM is not None, "Chromium (the browser tests)", "chromium", "SKIP_BROWSER")
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                  "--no-first-run", "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(locale: str = "en-US"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        contexts.append(context)
        page = context.new_page()
        page.csp_violations = []
        page.expose_function("__reportCsp", lambda v: page.csp_violations.append(v))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "window.__reportCsp(e.violatedDirective + ' ' + e.blockedURI));")
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def log_in(page, base_url: str, username: str, password: str = "pw-for-tests-123") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
