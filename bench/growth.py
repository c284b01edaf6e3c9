"""Growth benchmark: how ingestion, training time and peak memory grow with the interaction log (issue 17).

    .venv/bin/python bench/growth.py                          # 1 M, 5 M and 20 M synthetic interactions
    .venv/bin/python bench/growth.py --sizes 1M,5M            # what time allows on a shared machine
    .venv/bin/python bench/growth.py --offline 1M,5M,20M      # training's in-memory path only, no database

What it does, on a dedicated PostgreSQL database (``--db-name``, default ``courseplatform_bench_growth``,
recreated and migrated: the interaction log is partitioned by month by the project's own migration):

1. Seeds ``--courses`` published courses and one learner per ``--events-per-learner`` events of the largest
   size (cloned from one real row each by ``INSERT … SELECT``, so every foreign key is a real one).
2. For each size, smallest first, grows the log to that size: the added events are written by one
   ``INSERT … SELECT … generate_series`` per million (in time order with time-ordered event ids, popular courses
   favoured, 13 months of timestamps, the month partitions created first as the beat task would), every index
   in place, the foreign-key triggers off
   for the load (``session_replication_role = replica``: the rows are valid by construction) (**synthetic load**,
   events/s: how fast the bench can fill the log, not a production write path).
3. **API ingestion** at that size: ``--ingest-batches`` batches of 50 events through the events app's own write
   path (``services.events_ingest``, what ``POST /api/events`` calls: ``INSERT … ON CONFLICT DO NOTHING
   RETURNING``), one process; events/s and p99 batch latency. Shows whether a bigger log slows the write path.
4. **Training** in a fresh subprocess (its ``ru_maxrss`` is the peak memory of the whole run): the training's
   own streamed read of the learners' history (``recommender.training._interaction_rows``: server-side cursor
   into numpy columns, vetting), the aggregation into the confidence matrix (``build_interactions``, half-life
   as configured) and one fit of the platform's default model with its fallback parameters
   (``fit_model(DEFAULT_MODEL, DEFAULT_PARAMS)``: no parameter search, no materialised feeds, which grow with
   learners, not events). ``peak RSS`` includes the interpreter, Django, torch and the model.
5. At the smallest size the same read is also done the way training read the log before (``list`` of
   tuples, ``--no-list-baseline`` skips it): the memory the streamed read saves.

Prints a table (ratios to the smallest size: "linear" means a ratio equal to the size ratio) and saves
``var/bench/growth.json``. Timings on a shared machine vary; compare ratios within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES_SQL = ("CASE WHEN r < 0.30 THEN 'impression' WHEN r < 0.60 THEN 'view' WHEN r < 0.80 THEN 'click' "
             "WHEN r < 0.88 THEN 'wishlist' WHEN r < 0.97 THEN 'enroll' ELSE 'complete' END")
MONTHS = 13


def parse_size(text: str) -> int:
    text = text.strip().upper()
    factor = {"K": 1_000, "M": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("KM")) * factor)


def human(n: int) -> str:
    return f"{n / 1e6:g} M" if n >= 1_000_000 else f"{n / 1e3:g} k"


def django_setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.base")
    import django

    django.setup()


# --- the training child ---------------------------------------------------------------------------------------


def train_child(list_baseline: bool) -> dict:
    """Run in a fresh process: the training's read, aggregation and one fit; report times and peak RSS."""
    from django.conf import settings

    from recommender import training
    from recommender.engine import DEFAULT_MODEL, DEFAULT_PARAMS, build_interactions, fit_model

    rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # noqa: E731  (MiB on Linux)
    base = rss()
    started = time.perf_counter()
    if list_baseline:
        from courseplatform.events import selectors

        rows = selectors.learner_history()  # the read training did before the stream: one list of tuples
        read_s = time.perf_counter() - started
        read_rss = rss()
        data = build_interactions(rows, training.training_weights(),
                                  half_life_days=settings.RECOMMENDER_HALF_LIFE_DAYS)
        n = len(rows)
        del rows
        return {"rows": n, "read_s": read_s, "build_s": time.perf_counter() - started - read_s, "pairs": len(data),
                "base_rss_mib": base, "read_rss_mib": read_rss, "peak_rss_mib": rss()}
    log = training._interaction_rows()
    read_s = time.perf_counter() - started
    read_rss = rss()
    data = build_interactions(log, training.training_weights(), half_life_days=settings.RECOMMENDER_HALF_LIFE_DAYS)
    n = len(log)
    del log
    build_s = time.perf_counter() - started - read_s
    fit_started = time.perf_counter()
    fit_model(DEFAULT_MODEL, dict(DEFAULT_PARAMS), data, training.item_features(data), device="cpu")
    fit_s = time.perf_counter() - fit_started
    return {"rows": n, "read_s": read_s, "build_s": build_s, "fit_s": fit_s, "pairs": len(data),
            "users": data.n_users, "items": data.n_items, "base_rss_mib": base, "read_rss_mib": read_rss,
            "peak_rss_mib": rss()}


def offline_child(size: int, learners: int, courses: int) -> dict:
    """Training's in-memory path at ``size`` events without a database: the rows a cursor would stream (chunks of
    tuples, 30 % impressions skipped as the selector does) go through the same builder, vetting, aggregation and
    fit. For sizes the shared machine cannot load in time; the read's own cost is measured by the main mode."""
    import numpy as np
    from django.conf import settings

    from recommender import training
    from recommender.engine import (
        DEFAULT_MODEL,
        DEFAULT_PARAMS,
        EventLogBuilder,
        build_interactions,
        fit_model,
    )
    from recommender.history import vetted

    rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # noqa: E731
    base = rss()
    rng = np.random.default_rng(0)
    names = np.array(["view", "click", "wishlist", "enroll", "complete"])
    cut = np.array([0.30, 0.50, 0.58, 0.67, 0.70]) / 0.70  # the synthetic mix without impressions
    rows = int(size * 0.70)
    started = time.perf_counter()
    builder = EventLogBuilder(rows)
    now = time.time()
    for start in range(0, rows, 20_000):
        k = min(20_000, rows - start)
        users = rng.integers(0, learners, k).tolist()
        items = (np.floor(rng.random(k) ** 2 * courses)).astype(np.int64).tolist()
        types = names[np.searchsorted(cut, rng.random(k), side="right").clip(0, 4)].tolist()
        times = (now - rng.random(k) * MONTHS * 30 * 86400).tolist()
        builder.add(list(zip(users, items, types, times, [None] * k, strict=True)))
    log = vetted(builder.build(), trusted=set(), cheap_types=training.CHEAP_TYPES, suffix=training.UNVERIFIED)
    read_s, read_rss = time.perf_counter() - started, rss()
    data = build_interactions(log, training.training_weights(), half_life_days=settings.RECOMMENDER_HALF_LIFE_DAYS)
    n = len(log)
    del log
    build_s = time.perf_counter() - started - read_s
    fit_started = time.perf_counter()
    fit_model(DEFAULT_MODEL, dict(DEFAULT_PARAMS), data, None, device="cpu")
    return {"rows": n, "read_s": read_s, "build_s": build_s, "fit_s": time.perf_counter() - fit_started,
            "pairs": len(data), "users": data.n_users, "base_rss_mib": base, "read_rss_mib": read_rss,
            "peak_rss_mib": rss()}


def run_child(db_url: str, *, list_baseline: bool = False) -> dict:
    command = [sys.executable, __file__, "--child", "--db-url", db_url] + (["--list-baseline"] if list_baseline
                                                                            else [])
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- the parent -----------------------------------------------------------------------------------------------


def recreate_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def clone_rows(cursor, table: str, template_id: int, count: int, overrides: dict[str, str]) -> tuple[int, int]:
    """``count`` copies of row ``template_id`` of ``table`` (columns in ``overrides`` get those SQL expressions
    of ``g``, the series); returns the first and last new id."""
    cursor.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id' "
                   "AND table_schema = current_schema() ORDER BY ordinal_position", [table])
    columns = [row[0] for row in cursor.fetchall()]
    select = ", ".join(overrides.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(f'INSERT INTO "{table}" ({names}) SELECT {select} FROM "{table}" t, generate_series(1, %s) g '
                   f"WHERE t.id = %s RETURNING id", [count, template_id])
    ids = [row[0] for row in cursor.fetchall()]
    return min(ids), max(ids)


def seed(n_courses: int, n_learners: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from tests.factories import CourseFactory

    course = CourseFactory(published=True)
    learner = get_user_model().objects.create_user(username="bench-learner", password=None)
    with transaction.atomic(), connection.cursor() as cursor:
        c_lo, c_hi = clone_rows(cursor, course._meta.db_table, course.pk, n_courses - 1, {})
        u_lo, u_hi = clone_rows(cursor, learner._meta.db_table, learner.pk, n_learners - 1,
                                {"username": "'bench-' || g", "email": "'bench-' || g || '@example.com'",
                                 "date_joined": "now() - interval '400 days'"})
    return {"c_lo": min(course.pk, c_lo), "c_n": n_courses, "u_lo": min(learner.pk, u_lo), "u_n": n_learners}


def grow(target: int, current: int, ids: dict) -> float:
    """Add ``target - current`` events; returns seconds."""
    import datetime as dt

    from django.db import connection, transaction

    from courseplatform.events.models import Interaction
    from courseplatform.events.retention import partitions_ensure

    table = Interaction._meta.db_table
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    with transaction.atomic():
        from courseplatform.events import partitions

        partitions.ensure_months(table, now - dt.timedelta(days=31 * (MONTHS - 1)), now)
    partitions_ensure()
    step = 1_000_000
    done = current
    while done < target:
        n = min(step, target - done)
        # rows in time order, their event ids time-ordered (a UUIDv7-like prefix: the millisecond, then random
        # bits): each partition's indexes on ts and event id then grow at their right edge instead of taking
        # random inserts, which thrash a default 128 MB shared_buffers once the log outgrows it
        sql = (f"INSERT INTO {table} (event_id, user_id, session_key, course_id, type, ts, value, surface, position, "
               f"experiment, variant, received_at) "
               f"SELECT (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') "
               f"        || substr(md5(random()::text), 1, 20))::uuid, "
               f"%(u_lo)s + floor(random() * %(u_n)s)::bigint, '', "
               f"%(c_lo)s + floor(power(random(), 2) * %(c_n)s)::bigint, {TYPES_SQL}, "
               f"ts, NULL, 'bench', NULL, '', '', now() "
               f"FROM (SELECT random() AS r, now() - random() * interval '{MONTHS * 30} days' AS ts "
               f"      FROM generate_series(1, %(n)s)) s ORDER BY ts")
        with transaction.atomic(), connection.cursor() as cursor:
            # synthetic rows valid by construction: foreign-key triggers off for the load (session only); the
            # API ingestion step below measures the real write path with every check
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, {**ids, "n": n})
        done += n
        print(f"  loaded {human(done)} / {human(target)} ({time.perf_counter() - started:.0f} s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return time.perf_counter() - started


def api_ingest(batches: int, ids: dict) -> dict:
    import datetime as dt
    import uuid

    from courseplatform.events import services

    now = dt.datetime.now(dt.UTC)
    latencies, course_ids = [], [ids["c_lo"] + k for k in range(min(ids["c_n"], 500))]
    for b in range(batches):
        events = [{"index": k, "event_id": uuid.uuid4(), "type": "view" if k % 3 else "click",
                   "course": course_ids[(b * 50 + k) % len(course_ids)], "ts": now, "value": None,
                   "context": {"surface": "bench"}} for k in range(50)]
        started = time.perf_counter()
        result = services.events_ingest(events=events, user=None, session_key=f"bench-{b % 97}")
        latencies.append(time.perf_counter() - started)
        assert len(result.stored) == 50, result.refused[:1]
    latencies.sort()
    return {"events_per_s": 50 * batches / sum(latencies), "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))]}


def log_bytes() -> int:
    from django.db import connection

    from courseplatform.events.models import Interaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(pg_total_relation_size(inhrelid)), 0) FROM pg_inherits "
                       "WHERE inhparent = %s::regclass", [Interaction._meta.db_table])
        return int(cursor.fetchone()[0])


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}x" if base else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M,5M,20M", help="comma-separated event counts (1M, 500k, ...)")
    parser.add_argument("--admin-url", default=os.environ.get("BENCH_PG_ADMIN_URL",
                                                             "postgres://postgres@127.0.0.1:5432/postgres"))
    parser.add_argument("--db-name", default="courseplatform_bench_growth")
    parser.add_argument("--courses", type=int, default=2000)
    parser.add_argument("--events-per-learner", type=int, default=40)
    parser.add_argument("--ingest-batches", type=int, default=200)
    parser.add_argument("--no-list-baseline", action="store_true")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look afterwards")
    parser.add_argument("--offline", default="", help="sizes to run training's in-memory path on without a "
                        "database (generated rows through the same builder, vetting, aggregation and fit)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--list-baseline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        django_setup(args.db_url)
        if args.offline:
            size = parse_size(args.offline)
            print(json.dumps(offline_child(size, max(size // args.events_per_learner, 100), args.courses)))
        else:
            print(json.dumps(train_child(args.list_baseline)))
        return
    if args.offline:
        print("| events (no database) | rows | build+vet s | aggregate s | fit s | training s (×) | peak RSS MiB (×) |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        first = None
        for size in sorted(parse_size(s) for s in args.offline.split(",") if s.strip()):
            out = subprocess.run([sys.executable, __file__, "--child", "--offline", str(size), "--db-url",
                                  "sqlite:////tmp/unused-growth-bench.sqlite3", "--events-per-learner",
                                  str(args.events_per_learner), "--courses", str(args.courses)],
                                 check=True, capture_output=True, text=True, cwd=ROOT)
            r = json.loads(out.stdout.strip().splitlines()[-1])
            total = r["read_s"] + r["build_s"] + r["fit_s"]
            first = first or (size, total, r["peak_rss_mib"])
            print(f"| {human(size)} | {r['rows']:,} | {r['read_s']:.1f} | {r['build_s']:.1f} | {r['fit_s']:.1f} | "
                  f"{total:.1f} ({total / first[1]:.2f}× vs {size / first[0]:g}×) | {r['peak_rss_mib']:,.0f} "
                  f"({r['peak_rss_mib'] / first[2]:.2f}×) |", flush=True)
        return

    sizes = sorted(parse_size(s) for s in args.sizes.split(",") if s.strip())
    db_url = recreate_database(args.admin_url, args.db_name)
    django_setup(db_url)
    from django.core.management import call_command

    print(f"migrating {args.db_name} …", flush=True)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    learners = max(sizes[-1] // args.events_per_learner, 100)
    ids = seed(args.courses, learners)
    print(f"seeded {args.courses} courses, {learners} learners", flush=True)
    results, current = [], 0
    try:
        for size in sizes:
            print(f"size {human(size)}:", flush=True)
            load_s = grow(size, current, ids)
            added, current = size - current, size
            ingest = api_ingest(args.ingest_batches, ids)
            current += 50 * args.ingest_batches
            train = run_child(db_url)
            row = {"size": size, "load_events_per_s": added / load_s, **{f"ingest_{k}": v for k, v in ingest.items()},
                   "log_bytes": log_bytes(), **train, "train_s": train["read_s"] + train["build_s"] + train["fit_s"]}
            if size == sizes[0] and not args.no_list_baseline:
                row["list_baseline"] = run_child(db_url, list_baseline=True)
            results.append(row)
            print(f"  {json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()})}",
                  flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            import psycopg

            with psycopg.connect(args.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')

    base = results[0]
    print()
    print("| events | synthetic load ev/s | API ingest ev/s (p99) | log on disk | training rows | read s | "
          "aggregate s | fit s | training s (x vs size x) | peak RSS MiB (x) |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {human(r['size'])} | {r['load_events_per_s']:,.0f} | {r['ingest_events_per_s']:,.0f} "
              f"({r['ingest_p99_ms']:.1f} ms) | {r['log_bytes'] / 2**30:.2f} GiB | {r['rows']:,} | "
              f"{r['read_s']:.1f} | {r['build_s']:.1f} | {r['fit_s']:.1f} | {r['train_s']:.1f} "
              f"({ratio(r['train_s'], base['train_s'])} vs {r['size'] / base['size']:g}x) | "
              f"{r['peak_rss_mib']:,.0f} ({ratio(r['peak_rss_mib'], base['peak_rss_mib'])}; "
              f"data {r['peak_rss_mib'] - r['base_rss_mib']:,.0f}) |")
    if "list_baseline" in base:
        lb = base["list_baseline"]
        print(f"\nat {human(base['size'])}: the former read (a list of tuples) took {lb['read_s']:.1f} s and "
              f"{lb['read_rss_mib'] - lb['base_rss_mib']:,.0f} MiB over the interpreter; the streamed read "
              f"{base['read_s']:.1f} s and {base['read_rss_mib'] - base['base_rss_mib']:,.0f} MiB")
    largest = results[-1]
    verdict = "met" if largest["peak_rss_mib"] < 4096 else "NOT met"
    print(f"peak memory target (< 4 GiB at the largest size, {human(largest['size'])}): {verdict}")
    out = ROOT / "var" / "bench" / "growth.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
