"""Storefront cover re-render through real Celery workers, beside a bare-Pillow floor from the same run.

Run: ``.venv/bin/python bench/covers_worker.py [--courses 1000] [--concurrency 2]``.
Creates a throw-away SQLite database and media folder under a temp dir, a storefront with N courses, starts a
real ``celery -A workers worker -Q default`` (embedded filesystem broker unless ``--redis URL``), requests the
re-render that follows a palette activation, and times it until the batch row says succeeded. Each course
gets three covers (card, social, thumbnail). The floor is the same number of flat images with one line of
text, WebP-encoded in one process, measured before and after the run (the machine is shared) and averaged; the
target is that floor times the worker processes (each process renders real covers at least at the floor's pace).
Prints a table and writes ``var/bench/covers_worker.json``.
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


def floor_per_second(n: int) -> float:
    from PIL import Image, ImageDraw, ImageFont

    from themes.covers import encode
    from themes.covers.fonts import find_font

    face = ImageFont.truetype(find_font("latin", "bold"), 64)
    sizes = [(1280, 720), (1200, 630), (480, 270)]
    start = time.perf_counter()
    for i in range(n):
        image = Image.new("RGB", sizes[i % 3], (30, 99, 196))
        ImageDraw.Draw(image).text((40, 40), f"Course {i}", font=face, fill=(255, 255, 255))
        encode(image, "webp")
    return n / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--courses", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--redis", default="", help="use this Redis URL as the broker instead of the filesystem")
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
    titles = ["Practical Machine Learning with Python", "零基础学Python：从入门到精通", "Watercolour for Beginners",
              "The Complete Guide to Modern Web Development with Django"]
    Course.objects.bulk_create([Course(storefront=store, category=category, title=f"{titles[i % 4]} {i}",
                                       subtitle="A hands-on course", published=True) for i in range(args.courses)])
    covers = 3 * args.courses

    floor = floor_per_second(min(covers, 600))
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "workers", "worker", "-Q", "default",
         "--pool=prefork", "-c", str(args.concurrency), "--loglevel=WARNING", "-n", "bench@%h"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=open(tmp / "worker.log", "w"))
    try:
        time.sleep(6)  # worker start-up, not timed
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
            time.sleep(0.5)
        seconds = time.perf_counter() - start
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rate = covers / seconds
    floor_after = floor_per_second(min(covers, 600))  # the machine is shared: the floor before and after, averaged
    floor_mean = (floor + floor_after) / 2
    target = floor_mean * args.concurrency
    result = {"courses": args.courses, "covers": covers, "status": batch.status, "seconds": round(seconds, 2),
              "worker_covers_per_s": round(rate, 1), "floor_covers_per_s_one_process": round(floor_mean, 1),
              "floor_before_after": [round(floor, 1), round(floor_after, 1)],
              "target_floor_x_processes": round(target, 1),
              "ratio_worker_vs_floor": round(rate / floor_mean, 3),
              "ratio_per_process": round(rate / target, 3), "concurrency": args.concurrency,
              "broker": "redis" if args.redis else "filesystem", "batches": CoverBatch.objects.count(),
              "load_average": [round(x, 2) for x in os.getloadavg()], "cpus": os.cpu_count()}
    print(f"{'measure':<38}{'value':>14}")
    for key in ("courses", "covers", "seconds", "concurrency", "worker_covers_per_s",
                "floor_covers_per_s_one_process", "floor_before_after", "target_floor_x_processes",
                "ratio_worker_vs_floor", "ratio_per_process", "broker", "status", "load_average"):
        print(f"{key:<38}{result[key]!s:>14}")
    verdict = "met" if rate >= target else "NOT met"
    print(f"target (issue 17): >= one-process floor x {args.concurrency} processes = {target:.1f} covers/s: {verdict}")
    out = ROOT / "var" / "bench" / "covers_worker.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    return 0 if batch.status == JobStatus.SUCCEEDED else 1


if __name__ == "__main__":
    raise SystemExit(main())
