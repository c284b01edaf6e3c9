"""What the moderation filter costs the public read paths, beside the same queries without it, in one run.

``Course.objects.published()`` now also leaves out courses hidden by moderators and courses of hidden storefronts
(two LEFT JOINs on ``moderation_case``, one by course, one by storefront). This times the read paths that go
through it on a seeded PostgreSQL database, with and without the filter (the baseline: ``published=True`` alone,
what the method was before), with no content hidden and with 1 % of courses and 1 % of storefronts hidden.

    .venv/bin/python bench/moderation.py                      # 20,000 courses in 400 storefronts
    .venv/bin/python bench/moderation.py --courses 5000 --repeat 20

Prints a table (median ms per call, ratio to the baseline) and saves ``var/bench/moderation.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def configure(database: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
    os.environ["DEBUG"] = "False"
    os.environ["DATABASE_URL"] = database
    import django

    django.setup()


def ensure_database(database: str) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1].split("?")[0]
    admin = database.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(n_courses: int, n_shops: int) -> list:
    from django.core.management import call_command

    from courseplatform.accounts.models import User
    from courseplatform.catalog.models import Category, Course, Storefront

    call_command("createcachetable", verbosity=0)
    call_command("migrate", verbosity=0)
    owner = User.objects.create(username="bench-owner", role=User.Role.CREATOR)
    categories = [Category.objects.create(slug=f"c{i}", name=f"Category {i}") for i in range(12)]
    shops = Storefront.objects.bulk_create([Storefront(owner=owner, name=f"Shop {k}", slug=f"shop-{k}")
                                           for k in range(n_shops)])
    Course.objects.bulk_create([Course(storefront=shops[i % n_shops], title=f"Course {i}", category=categories[i % 12],
                                       published=i % 10 != 0) for i in range(n_courses)], batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return list(Course.objects.order_by("id").values_list("id", flat=True))


def hide(fraction: float) -> None:
    from django.db import connection

    from courseplatform.catalog.models import Course, Storefront
    from courseplatform.moderation.models import Case

    courses = list(Course.objects.order_by("id").values_list("id", "storefront__owner_id"))
    step = max(1, round(1 / fraction))
    Case.objects.bulk_create([Case(kind="course", course_id=cid, owner_id=owner, hidden=True, open=False)
                              for cid, owner in courses[::step]])
    shops = list(Storefront.objects.order_by("id").values_list("id", "owner_id"))
    Case.objects.bulk_create([Case(kind="storefront", storefront_id=sid, owner_id=owner, hidden=True, open=False)
                              for sid, owner in shops[::step]])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def paths(ids: list[int]):
    """The read paths through ``published()``; ``base`` is the queryset they start from."""
    import random

    from django.db.models import Avg, Count

    rng = random.Random(7)
    batch = [rng.choice(ids) for _ in range(50)]
    one = ids[len(ids) // 2]
    return {
        "catalogue page (24, annotated)": lambda base: list(
            base.select_related("storefront", "category")
            .annotate(n=Count("enrollments", distinct=True), r=Avg("reviews__rating"))
            .order_by("-created_at", "-id")[:24]),
        "event batch: 50 ids -> storefront": lambda base: dict(base.filter(pk__in=batch)
                                                                .values_list("pk", "storefront_id")),
        "one course exists": lambda base: base.filter(pk=one).exists(),
        "popularity table (1000)": lambda base: list(base.annotate(n=Count("enrollments"))
                                                     .order_by("-n", "-id").values_list("id", "n")[:1000]),
        "count published": lambda base: base.count(),
    }


def timed(fn, repeat: int) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(1000 * (time.perf_counter() - started))
    return statistics.median(samples)


def measure(ids, repeat: int) -> list[dict]:
    from courseplatform.catalog.models import Course

    rows = []
    for name, path in paths(ids).items():
        base = timed(lambda path=path: path(Course.objects.filter(published=True)), repeat)
        filtered = timed(lambda path=path: path(Course.objects.published()), repeat)
        rows.append({"path": name, "baseline_ms": round(base, 3), "moderated_ms": round(filtered, 3),
                     "ratio": round(filtered / base, 2)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/courseplatform_bench_moderation")
    parser.add_argument("--courses", type=int, default=20000)
    parser.add_argument("--storefronts", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    ensure_database(args.database)
    configure(args.database)
    ids = seed(args.courses, args.storefronts)
    results = {"courses": args.courses, "storefronts": args.storefronts, "repeat": args.repeat, "runs": {}}
    for label, fraction in (("nothing hidden", 0.0), ("1 % hidden", 0.01)):
        if fraction:
            hide(fraction)
        results["runs"][label] = measure(ids, args.repeat)
    print(f"\nmoderation filter on PostgreSQL: {args.courses} courses, {args.storefronts} storefronts, "
          f"median of {args.repeat} calls (ms)")
    width = max(len(r["path"]) for rows in results["runs"].values() for r in rows)
    print(f"{'hidden':16} {'path':{width}} {'published=True':>15} {'published()':>12} {'ratio':>6}")
    for label, rows in results["runs"].items():
        for r in rows:
            print(f"{label:16} {r['path']:{width}} {r['baseline_ms']:>15.3f} {r['moderated_ms']:>12.3f} "
                  f"{r['ratio']:>6.2f}")
    out = ROOT / "var" / "bench" / "moderation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1))
    print(f"saved {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
