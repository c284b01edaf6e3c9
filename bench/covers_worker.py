"""Storefront cover re-render through real Celery workers, beside a bare-Pillow floor from the same run.

Run: ``.venv/bin/python bench/covers_worker.py [--courses 1000] [--concurrency 2] [--redis URL]``.
Creates a throw-away SQLite database and media folder under a temp dir, a storefront with N courses, starts a
real ``celery -A workers worker -Q default`` (embedded filesystem broker unless ``--redis URL``; production runs
Redis or RabbitMQ: the filesystem broker polls its folder once a second when a worker is waiting for a message, so
each chunk can wait up to a second for its turn), requests the re-render that follows a palette activation, and
times it until the batch row says succeeded (from when the worker has gone idle after start-up: since issue 17,
before a fixed 6 s sleep). Each course gets three covers (card, social, thumbnail); every
course has a title of its own, so that no two covers share a title line (since issue 17's renderer work: before,
titles differed only in a trailing number and shared their first line, which the glyph-mask and text-fit memos
would have reused).

The floor is the same number of flat images with one line of text, WebP-encoded with the covers' encoder
settings in one process, measured before and after the run (the machine is shared) and averaged; the target is
that floor times the worker processes (each process renders real covers at least at the floor's pace).

The machine is shared with other work, so the run also reports CPU time: the worker's processes' CPU seconds
(``/proc``, the worker and its pool children) over the timed window, the covers per worker CPU-second beside the
floor's covers per CPU-second (``time.process_time``), and how many cores the workers got on average. And the
pipeline's own pace in this process, without a worker (render and encode of the first courses' covers, nothing
stored), beside the floor. Prints a table and writes ``var/bench/covers_worker.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TITLES = ["Practical Machine Learning with Python", "零基础学Python：从入门到精通", "Watercolour for Beginners",
          "The Complete Guide to Modern Web Development with Django"]
TICKS = os.sysconf("SC_CLK_TCK")


def course_title(i: int) -> str:
    """A title of its own for every course, numbered at the start and the end, so that no two covers share a title
    line (a storefront's titles differ; a repeated line would let the renderer reuse its glyph mask and fit)."""
    return f"{i}. {TITLES[i % 4]} {i}" if i % 4 != 1 else f"第{i}课 {TITLES[1]} {i}"


def floor_per_second(n: int) -> tuple[float, float]:
    """(covers per wall second, covers per CPU second) of the bare-Pillow floor in this process."""
    from PIL import Image, ImageDraw, ImageFont

    from themes.covers import encode
    from themes.covers.fonts import find_font

    face = ImageFont.truetype(find_font("latin", "bold"), 64)
    sizes = [(1280, 720), (1200, 630), (480, 270)]
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        image = Image.new("RGB", sizes[i % 3], (30, 99, 196))
        ImageDraw.Draw(image).text((40, 40), f"Course {i}", font=face, fill=(255, 255, 255))
        encode(image, "webp")
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def pipeline_per_second(courses: list) -> tuple[float, float]:
    """(covers per wall second, per CPU second) of the real covers of ``courses``, rendered and encoded in this
    process the way a worker does (``cover_store``'s spec and renderer), without storing them."""
    from themes import cover_store

    specs = [cover_store.renderable_spec(c, size) for c in courses for size in cover_store.SIZES]
    cover_store._render(specs[0])  # fonts opened, glyphs probed: a worker process does this once too
    start, cpu = time.perf_counter(), time.process_time()
    for spec in specs[1:]:
        cover_store._render(spec)
    n = len(specs) - 1
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its live child processes (the pool), from ``/proc``."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


def wait_until_idle(pid: int, least: float = 6.0, most: float = 90.0) -> float:
    """Seconds until the worker started: at least ``least``, then until its processes have used under 0.05 CPU
    seconds in a second (imports, forking the pool, each pool process's warm-up done), at most ``most``. On a loaded
    machine start-up can outlast a fixed sleep and would otherwise be timed as re-render work."""
    start = time.perf_counter()
    time.sleep(least)
    used = tree_cpu_seconds(pid)
    while time.perf_counter() - start < most:
        time.sleep(1.0)
        now = tree_cpu_seconds(pid)
        if now - used < 0.05:
            break
        used = now
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--redis", default="", help="use this Redis URL as the broker instead of the filesystem")
    parser.add_argument("--prefetch-multiplier", type=int, default=0,
                        help="pass --prefetch-multiplier to the worker (default: the settings' value)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="covers-bench-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "courseplatform.settings.dev", "DEBUG": "0", "VAR_DIR": str(tmp),
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}", "MEDIA_ROOT": str(tmp / "media"),
        "CELERY_BROKER_URL": args.redis or "filesystem://", "PYTORCH_NVML_BASED_CUDA_CHECK": "1",
    })
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from courseplatform.accounts.models import User
    from courseplatform.catalog.models import Category, Course, Storefront
    from courseplatform.jobs.models import JobStatus
    from themes import services
    from themes.models import CoverBatch

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    creator = User.objects.create(username="bench", role="creator")
    store = Storefront.objects.create(owner=creator, name="Bench", slug="bench")
    category = Category.objects.create(slug="programming", name="Programming")
    Course.objects.bulk_create([Course(storefront=store, category=category, title=course_title(i),
                                       subtitle=f"A hands-on course, cohort {i}", published=True)
                                for i in range(args.courses)])
    covers = 3 * args.courses

    floor, floor_cpu = floor_per_second(min(covers, 600))
    sample = list(store.courses.select_related("storefront", "category").order_by("pk")[:20])
    pipeline, pipeline_cpu = pipeline_per_second(sample)
    command = [str(Path(sys.executable).parent / "celery"), "-A", "workers", "worker", "-Q", "default",
               "--pool=prefork", "-c", str(args.concurrency), "--loglevel=WARNING", "-n", "bench@%h"]
    if args.prefetch_multiplier:
        command.append(f"--prefetch-multiplier={args.prefetch_multiplier}")
    worker = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL,
                              stderr=open(tmp / "worker.log", "w"))
    try:
        startup = wait_until_idle(worker.pid)  # worker start-up, not timed
        cpu_before = tree_cpu_seconds(worker.pid)
        start = time.perf_counter()
        with transaction.atomic():
            batch = services.cover_batch_request(storefront=store)
        last = -1
        while True:
            batch.refresh_from_db()
            if batch.status in (JobStatus.SUCCEEDED, JobStatus.FAILED):
                break
            if batch.done != last and batch.done % 100 == 0:
                print(f"  {batch.done}/{batch.total} courses", file=sys.stderr)
                last = batch.done
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        worker_cpu = tree_cpu_seconds(worker.pid) - cpu_before
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rate = covers / seconds
    floor_after, floor_cpu_after = floor_per_second(min(covers, 600))  # the machine is shared: before and after
    floor_mean, floor_cpu_mean = (floor + floor_after) / 2, (floor_cpu + floor_cpu_after) / 2
    target = floor_mean * args.concurrency
    result = {"courses": args.courses, "covers": covers, "status": batch.status, "seconds": round(seconds, 2),
              "worker_covers_per_s": round(rate, 1), "floor_covers_per_s_one_process": round(floor_mean, 1),
              "floor_before_after": [round(floor, 1), round(floor_after, 1)],
              "target_floor_x_processes": round(target, 1),
              "ratio_worker_vs_floor": round(rate / floor_mean, 3),
              "ratio_per_process": round(rate / target, 3), "concurrency": args.concurrency,
              "worker_cpu_seconds": round(worker_cpu, 1), "cores_the_workers_got": round(worker_cpu / seconds, 2),
              "worker_covers_per_cpu_s": round(covers / worker_cpu, 1) if worker_cpu else None,
              "floor_covers_per_cpu_s": round(floor_cpu_mean, 1),
              "ratio_per_cpu_second": round(covers / worker_cpu / floor_cpu_mean, 3) if worker_cpu else None,
              "worker_startup_s": round(startup, 1), "in_process_covers_per_s": round(pipeline, 1), "in_process_covers_per_cpu_s": round(pipeline_cpu, 1),
              "ratio_in_process_per_cpu_second": round(pipeline_cpu / floor_cpu, 3),
              "broker": "redis" if args.redis else "filesystem",
              "prefetch_multiplier": args.prefetch_multiplier or "settings",
              "batches": CoverBatch.objects.count(),
              "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    print(f"{'measure':<38}{'value':>14}")
    for key in ("courses", "covers", "seconds", "concurrency", "broker", "prefetch_multiplier", "worker_covers_per_s",
                "floor_covers_per_s_one_process", "floor_before_after", "target_floor_x_processes",
                "ratio_worker_vs_floor", "ratio_per_process", "worker_cpu_seconds", "cores_the_workers_got",
                "worker_covers_per_cpu_s", "floor_covers_per_cpu_s", "ratio_per_cpu_second",
                "in_process_covers_per_cpu_s", "ratio_in_process_per_cpu_second", "worker_startup_s", "status",
                "load_average"):
        print(f"{key:<38}{result[key]!s:>14}")
    verdict = "met" if rate >= target else "NOT met"
    print(f"target (issue 17): >= one-process floor x {args.concurrency} processes = {target:.1f} covers/s: {verdict}")
    out = ROOT / "var" / "bench" / "covers_worker.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0 if batch.status == JobStatus.SUCCEEDED else 1


if __name__ == "__main__":
    raise SystemExit(main())
