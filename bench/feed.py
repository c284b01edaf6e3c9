"""Feed latency and event-ingestion throughput, each beside a trivial JSON view measured in the same run.

Run (uses its own VAR_DIR so it never touches your development database)::

    VAR_DIR=/tmp/feedbench .venv/bin/python bench/feed.py [--learners 1000] [--seconds 8] [--workers 4]
        [--redis redis://127.0.0.1:6379/11]
        [--database "postgres://postgres@127.0.0.1:5432/feedbench?conn_max_age=60"]

1. Seeds the demo data (``seed_demo``: 200 courses, 1,000 learners with history) if the database is empty and
   trains + activates a model version in-process when none is active (what the ``gpu`` worker does).
2. Feed latency: ``GET /api/feed?limit=20`` for each of ``--learners`` logged-in learners through Django's test
   client (the whole middleware stack: sessions, auth, throttling, cache, impression logging), first with a
   cold per-learner cache, then warm; beside ``GET /bench/ping`` (a trivial JsonResponse view, the ceiling) and
   ``GET /bench/whoami`` (the same after loading the session and the user: the floor of any logged-in view).
3. Ingestion: gunicorn (``--workers`` sync workers) on 127.0.0.1, 8 client threads with keep-alive posting
   batches of 100 and of 1 events to ``POST /api/events`` for ``--seconds`` each, beside ``GET /bench/ping``
   from the same server. The per-client event rate limit is raised for the run (all threads share one IP).

Prints tables and writes ``$VAR_DIR/bench/feed.json``. Loopback only; bounded in time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shlex
import socket
import statistics
import subprocess
import sys
import threading
import time
import types
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URLCONF = "bench_feed_urls"


def configure_env(redis: str = "", database: str = "") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
    os.environ.setdefault("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["EVENTS_RATE"] = "100000000/min"
    if redis:
        os.environ["REDIS_URL"] = redis
    if database:
        os.environ["DATABASE_URL"] = database


def install_urlconf() -> None:
    """The project's URLs plus ``/bench/ping``, a trivial JSON view (the ceiling)."""
    from django.conf import settings
    from django.http import JsonResponse
    from django.urls import path

    from courseplatform.urls import urlpatterns

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path("bench/ping", lambda request: JsonResponse({"ok": True})),
        # the same, after loading the session and the user (two queries): the floor of any logged-in view
        path("bench/whoami", lambda request: JsonResponse({"user": request.user.pk})),
        *urlpatterns,
    ]
    sys.modules[URLCONF] = module
    settings.ROOT_URLCONF = URLCONF
    # all bench clients share 127.0.0.1: lift the per-client feed rate as EVENTS_RATE lifts the events one
    from rest_framework.settings import api_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "feed": "100000000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()


def wsgi_app():
    """gunicorn factory: ``gunicorn --pythonpath bench 'feed:wsgi_app()'``."""
    configure_env()
    import django

    django.setup()
    install_urlconf()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def summary(values_s: list[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 3), "p99_ms": round(pct(ms, 99), 3),
            "mean_ms": round(statistics.fmean(ms), 3)}


def prepare(n_learners: int, retrain: bool = False) -> dict:
    from django.core.management import call_command

    from courseplatform.accounts.models import User
    from courseplatform.events.models import Interaction
    from recommender import services
    from recommender.models import ModelVersion

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", "--if-empty", verbosity=0)
    info = {"interactions": Interaction.objects.count()}
    version = ModelVersion.objects.filter(is_active=True).first()
    if version is None or retrain:
        from recommender.training import train_version

        started = time.perf_counter()
        version = train_version(device="cpu")
        services.version_activate(version=version, note="bench")
        from django.core.cache import cache

        cache.clear()  # what the activation's on-commit hook does in a request
        info["train_s"] = round(time.perf_counter() - started, 2)
    info.update({"version": version.pk, "algorithm": version.algorithm, "feed_rows": version.feed_count})
    learners = list(User.objects.filter(role=User.Role.LEARNER, is_staff=False).order_by("id")[:n_learners])
    info["learners"] = len(learners)
    return {"info": info, "learners": learners}


def bench_feed(learners) -> dict:
    from django.core.cache import cache
    from django.test import Client

    cache.clear()
    clients = []
    for learner in learners:
        client = Client()
        client.force_login(learner)
        clients.append(client)
    ping, whoami, cold, warm = [], [], [], []
    statuses: dict[str, int] = {}
    for client in clients:
        for bucket, url in ((ping, "/bench/ping"), (whoami, "/bench/whoami"), (cold, "/api/feed?limit=20"),
                            (warm, "/api/feed?limit=20")):
            t = time.perf_counter()
            response = client.get(url)
            bucket.append(time.perf_counter() - t)
            statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    anonymous = Client()
    anon = []
    for _ in range(len(learners)):
        t = time.perf_counter()
        response = anonymous.get("/api/feed?limit=20")
        anon.append(time.perf_counter() - t)
        statuses[str(response.status_code)] = statuses.get(str(response.status_code), 0) + 1
    return {"ping": summary(ping), "whoami": summary(whoami), "feed_cold": summary(cold), "feed_warm": summary(warm),
            "feed_anonymous": summary(anon), "statuses": statuses}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cookie(headers, name: str) -> str | None:
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def load(port: int, seconds: float, threads: int, batch: int, course_ids: list[int]) -> dict:
    """``threads`` keep-alive clients posting ``batch`` events each request until the deadline."""
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    totals = {"requests": 0, "events": 0, "statuses": {}, "latencies": []}

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/api/feed?limit=1")
        response = conn.getresponse()
        response.read()
        csrf = _cookie(response.getheaders(), "csrftoken")
        if response.status != 200 or not csrf:
            raise RuntimeError(f"GET /api/feed answered {response.status} without a csrftoken cookie")
        cookies = {"csrftoken": csrf}
        requests = events = 0
        statuses: dict[str, int] = {}
        latencies = []
        k = 0
        while time.monotonic() < deadline:
            body = json.dumps({"events": [
                {"event_id": str(uuid.uuid4()), "type": "click" if (k + i) % 5 else "view",
                 "course": course_ids[(n * 7919 + k + i) % len(course_ids)],
                 "ts": datetime.now(UTC).isoformat(), "context": {"surface": "home", "position": i % 20 + 1}}
                for i in range(batch)]})
            k += batch
            headers = {"Content-Type": "application/json", "X-CSRFToken": csrf,
                       "Cookie": "; ".join(f"{a}={b}" for a, b in cookies.items() if b)}
            t = time.perf_counter()
            conn.request("POST", "/api/events", body=body, headers=headers)
            response = conn.getresponse()
            payload = response.read()
            latencies.append(time.perf_counter() - t)
            session = _cookie(response.getheaders(), "sessionid")
            if session:
                cookies["sessionid"] = session
            requests += 1
            statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
            if response.status == 200:
                events += json.loads(payload)["stored"]
        conn.close()
        with lock:
            totals["requests"] += requests
            totals["events"] += events
            totals["latencies"] += latencies
            for key, value in statuses.items():
                totals["statuses"][key] = totals["statuses"].get(key, 0) + value

    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies = totals.pop("latencies")
    return {**totals, "batch": batch, "threads": threads, "seconds": round(elapsed, 2),
            "events_per_s": round(totals["events"] / elapsed, 1),
            "requests_per_s": round(totals["requests"] / elapsed, 1), **summary(latencies)}


def ping_load(port: int, seconds: float, threads: int) -> dict:
    deadline = time.monotonic() + seconds
    counts, lat, lock = [0], [], threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n, mine = 0, []
        while time.monotonic() < deadline:
            t = time.perf_counter()
            conn.request("GET", "/bench/ping")
            conn.getresponse().read()
            mine.append(time.perf_counter() - t)
            n += 1
        with lock:
            counts[0] += n
            lat.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return {"requests": counts[0], "requests_per_s": round(counts[0] / elapsed, 1), **summary(lat)}


def bench_ingestion(seconds: float, workers: int, threads: int) -> dict:
    from courseplatform.catalog.models import Course
    from courseplatform.events.models import Interaction

    course_ids = list(Course.objects.published().values_list("id", flat=True))
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"feedbench-gunicorn-{port}.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [gunicorn, "--pythonpath", str(ROOT / "bench"), "feed:wsgi_app()", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--keep-alive", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/bench/ping")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not start")
        before = Interaction.objects.count()
        out = {
            "ping": ping_load(port, seconds, threads),
            "batch_100": load(port, seconds, threads, 100, course_ids),
            "batch_1": load(port, seconds, threads, 1, course_ids),
        }
        out["stored_rows"] = Interaction.objects.count() - before
        out["workers"] = workers
        return out
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def command_line(argv: list[str]) -> tuple[str, list[str]]:
    """The command as run (``VAR_DIR=… python bench/feed.py …``) and its argv, passwords in URLs masked."""
    argv = [re.sub(r"(://[^:/@\s]+):[^@/\s]*@", r"\1:***@", a) for a in argv]
    prefix = f"VAR_DIR={shlex.quote(os.environ['VAR_DIR'])} " if os.environ.get("VAR_DIR") else ""
    return prefix + " ".join(shlex.quote(a) for a in ["python", *argv]), argv


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--redis", default="", help="use Redis for the cache (and throttle counters)")
    parser.add_argument("--database", default="", help="DATABASE_URL (default: sqlite under VAR_DIR)")
    parser.add_argument("--skip-ingestion", action="store_true")
    parser.add_argument("--retrain", action="store_true", help="train and activate a new version first")
    args = parser.parse_args()
    command, argv = command_line(sys.argv)
    configure_env(args.redis, args.database)
    import django

    django.setup()
    install_urlconf()
    from django.conf import settings
    from django.db import connection

    prepared = prepare(args.learners, args.retrain)
    feed = bench_feed(prepared["learners"])
    connection.close()
    ingestion = None if args.skip_ingestion else bench_ingestion(args.seconds, args.workers, args.threads)
    result = {
        "command": command, "argv": argv,
        "when": datetime.now(UTC).isoformat(timespec="seconds"), "python": platform.python_version(),
        "machine": platform.machine(), "cpus": os.cpu_count(), "database": connection.vendor,
        "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 2)[-2], **prepared["info"],
        "feed": feed, "ingestion": ingestion,
    }
    print(f"\nFeed latency, {prepared['info']['learners']} learners, test client, {connection.vendor}, "
          f"cache={result['cache']}, version #{prepared['info']['version']} ({prepared['info']['algorithm']})")
    print(f"statuses: {feed['statuses']}")
    print(f"{'request':<34}{'p50 ms':>10}{'p99 ms':>10}{'mean ms':>10}{'x ceiling p50':>15}")
    base = feed["ping"]["p50_ms"]
    for name, label in (("ping", "GET /bench/ping (ceiling)"), ("whoami", "GET /bench/whoami (session+user)"), ("feed_cold", "GET /api/feed, cold cache"),
                        ("feed_warm", "GET /api/feed, warm cache"), ("feed_anonymous", "GET /api/feed, anonymous")):
        row = feed[name]
        print(f"{label:<34}{row['p50_ms']:>10.2f}{row['p99_ms']:>10.2f}{row['mean_ms']:>10.2f}"
              f"{row['p50_ms'] / base:>15.1f}")
    if ingestion:
        print(f"\nIngestion over HTTP: gunicorn -w {ingestion['workers']} on 127.0.0.1, {args.threads} keep-alive "
              f"clients, {args.seconds:.0f} s per row")
        print(f"{'load':<26}{'req/s':>10}{'events/s':>11}{'p50 ms':>9}{'p99 ms':>9}  statuses")
        p = ingestion["ping"]
        print(f"{'GET /bench/ping (ceiling)':<26}{p['requests_per_s']:>10.1f}{'-':>11}{p['p50_ms']:>9.2f}"
              f"{p['p99_ms']:>9.2f}  200: {p['requests']}")
        for key in ("batch_100", "batch_1"):
            r = ingestion[key]
            print(f"{'POST /api/events x' + str(r['batch']):<26}{r['requests_per_s']:>10.1f}{r['events_per_s']:>11.1f}"
                  f"{r['p50_ms']:>9.2f}{r['p99_ms']:>9.2f}  {r['statuses']}")
        print(f"rows stored during the run: {ingestion['stored_rows']}")
    out = Path(settings.VAR_DIR) / "bench" / "feed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()
