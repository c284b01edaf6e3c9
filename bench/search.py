"""Search latency on a large catalogue (PostgreSQL), beside the plain catalogue page in the same run.

Run (its own database; created and migrated when missing)::

    .venv/bin/python bench/search.py [--courses 20000] [--rounds 5]
        [--database postgres://postgres@127.0.0.1:5432/searchbench] [--redis redis://127.0.0.1:6379/12]

1. Seeds ``--courses`` published courses (English and Chinese titles, subtitles and descriptions drawn from a
   fixed vocabulary, 8 categories, 200 storefronts, prices, levels, ratings) once, and indexes them.
2. Times, through Django's test client (the whole middleware stack), ``--rounds`` passes over a fixed query mix
   (common and rare English words, Chinese words, a typo, a zero-result query, filters, sorts, page 3) as
   ``GET /api/search`` and the ``/search/`` page, anonymous and logged in, beside the plain catalogue page ``/``
   (newest courses, no search) and the old substring search ``/?q=``, each warmed up first.
3. Prints p50/p95/p99 per surface, the issue's verdict (search p95 < 50 ms) and writes
   ``var/bench/search.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

EN_TOPICS = ["python", "django", "javascript", "react", "machine learning", "data analysis", "statistics",
             "photography", "graphic design", "marketing", "accounting", "excel", "sql", "rust", "kotlin",
             "guitar", "piano", "drawing", "spanish", "french", "cooking", "yoga", "leadership", "negotiation",
             "cloud computing", "docker", "kubernetes", "cybersecurity", "blockchain", "deep learning"]
EN_FORMS = ["{t} for beginners", "advanced {t}", "{t} masterclass", "complete {t} bootcamp", "practical {t}",
            "{t} in 30 days", "the art of {t}", "{t} fundamentals", "mastering {t}", "{t} from scratch"]
EN_WORDS = ("learn build project practice skills career professional hands-on examples exercises theory "
            "workflow tools modern complete guide step real world quick start deep dive patterns tips "
            "interview portfolio certificate beginner expert applied lessons quizzes").split()
ZH_TOPICS = ["机器学习", "深度学习", "数据分析", "平面设计", "市场营销", "财务会计", "摄影", "吉他", "钢琴",
             "英语口语", "日语", "烹饪", "瑜伽", "领导力", "云计算", "网络安全", "区块链", "前端开发", "产品经理",
             "项目管理"]
ZH_FORMS = ["{t}入门", "{t}实战", "{t}进阶", "零基础学{t}", "{t}从零开始", "{t}精讲", "{t}速成", "{t}大全"]
ZH_WORDS = ["课程", "案例", "练习", "项目", "技巧", "方法", "实践", "系统", "讲解", "提升", "工具", "职场"]
CATEGORIES = [("programming", "Programming", "编程"), ("data", "Data Science", "数据科学"),
              ("design", "Design", "设计"), ("business", "Business", "商业"), ("music", "Music", "音乐"),
              ("languages", "Languages", "语言"), ("lifestyle", "Lifestyle", "生活"), ("it", "IT & Cloud", "云与运维")]
QUERIES = [
    {"q": "python"}, {"q": "machine learning"}, {"q": "docker kubernetes"}, {"q": "guitar"},
    {"q": "advanced rust"}, {"q": "pyhton"}, {"q": "zxqv nothing"}, {"q": "机器学习"}, {"q": "学习"},
    {"q": "摄影 技巧"}, {"q": "python", "level": "beginner", "price": "free"}, {"q": "design", "sort": "rating"},
    {"q": "data", "sort": "price_asc", "min_price": "10", "max_price": "60"}, {"category": "music"},
    {"q": "marketing", "language": "en", "rating": "4"}, {"q": "javascript", "page": "3"}, {"sort": "newest"},
]


def configure(database: str, redis: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "courseplatform.settings.dev")
    os.environ["DEBUG"] = "False"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["DATABASE_URL"] = database
    if redis:
        os.environ["REDIS_URL"] = redis
    import django

    django.setup()
    from django.conf import settings
    from rest_framework.settings import api_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "search": "100000000/min"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()


def ensure_database(database: str) -> None:
    import psycopg

    name = database.rsplit("/", 1)[1].split("?")[0]
    admin = database.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n: int, seed_value: int) -> None:
    from django.core.management import call_command

    from courseplatform.accounts.models import User
    from courseplatform.catalog.models import Category, Course, Storefront
    from courseplatform.search import services

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    have = Course.objects.filter(published=True).count()
    if have >= n:
        from courseplatform.search import backends

        backends.analyze()
        return
    rng = random.Random(seed_value)
    print(f"seeding {n - have} courses …", flush=True)
    started = time.perf_counter()
    categories = [Category.objects.get_or_create(slug=s, defaults={"name": en, "name_zh": zh})[0]
                  for s, en, zh in CATEGORIES]
    owner, _ = User.objects.get_or_create(username="bench-owner", defaults={"role": User.Role.CREATOR})
    storefronts = list(Storefront.objects.filter(owner=owner))
    for k in range(len(storefronts), 200):
        storefronts.append(Storefront.objects.create(owner=owner, name=f"Bench Academy {k}", slug=f"bench-{k}",
                                                     brand_colors=["#1e88e5"]))
    courses = []
    for i in range(have, n):
        chinese = rng.random() < 0.3
        if chinese:
            topic = rng.choice(ZH_TOPICS)
            title = rng.choice(ZH_FORMS).format(t=topic)
            subtitle = "".join(rng.sample(ZH_WORDS, 3))
            description = "，".join("".join(rng.sample(ZH_WORDS, 4)) for _ in range(6)) + "。"
        else:
            topic = rng.choice(EN_TOPICS)
            title = rng.choice(EN_FORMS).format(t=topic).capitalize()
            subtitle = " ".join(rng.sample(EN_WORDS, 5)).capitalize()
            description = ". ".join(" ".join(rng.sample(EN_WORDS, 8)) for _ in range(6)) + f" {topic}."
        courses.append(Course(
            storefront=rng.choice(storefronts), title=f"{title} {i}"[:120], subtitle=subtitle,
            description=description, category=rng.choice(categories), language="zh-hans" if chinese else "en",
            level=rng.choice(["beginner", "intermediate", "advanced"]), published=True,
            price=Decimal(rng.choice([0, 0, 9, 19, 29, 49, 79, 99, 149]))))
    Course.objects.bulk_create(courses, batch_size=2000)  # bulk_create sends no post_save
    n_indexed = services.rebuild_index()
    # ratings and enrolment counts straight into the index (no reviews needed for ranking by rating)
    from courseplatform.search.models import SearchDocument

    docs = list(SearchDocument.objects.only("course_id"))
    for doc in docs:
        doc.rating_avg, doc.rating_count, doc.enrolments = (round(rng.uniform(2.5, 5.0), 2), rng.randint(1, 300),
                                                             rng.randint(0, 5000))
    SearchDocument.objects.bulk_update(docs, ["rating_avg", "rating_count", "enrolments"], batch_size=2000)
    print(f"seeded and indexed {n_indexed} courses in {time.perf_counter() - started:.0f} s", flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def timed(client, url: str, params: dict, rounds: int) -> list[float]:
    for _ in range(2):  # warm-up
        assert client.get(url, params).status_code == 200, (url, params)
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url, params)
        out.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, params, response.status_code)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/searchbench")
    parser.add_argument("--redis", default="", help="cache on Redis (production); default: the database cache")
    args = parser.parse_args()
    if args.database.startswith("postgres"):
        ensure_database(args.database)
    configure(args.database, args.redis)
    from django.db import connection
    from django.test import Client

    from courseplatform.accounts.models import User
    from courseplatform.search import selectors

    seed(args.courses, args.seed)
    learner, _ = User.objects.get_or_create(username="bench-learner")
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(learner)
    surfaces = {
        "catalogue page / (newest, plain)": [("/", {})],
        "catalogue page /?q= (old substring search)": [("/", {"q": q["q"]}) for q in QUERIES if q.get("q")],
        "GET /api/search (anonymous)": [("/api/search", q) for q in QUERIES],
        "search page /search/ (anonymous)": [("/search/", q) for q in QUERIES],
        "search page /search/ (learner, personal blend)": [("/search/", q) for q in QUERIES],
    }
    results = {}
    per_query: dict[str, float] = {}
    for params in QUERIES:  # where the time goes: median per query of the API
        per_query[json.dumps(params, ensure_ascii=False)] = statistics.median(
            timed(anonymous, "/api/search", params, args.rounds))
    for name, requests in surfaces.items():
        client = logged_in if "learner" in name else anonymous
        times: list[float] = []
        for url, params in requests:
            times += timed(client, url, params, args.rounds if len(requests) > 1 else args.rounds * 10)
        results[name] = {"n": len(times), "p50_ms": statistics.median(times), "p95_ms": percentile(times, 0.95),
                         "p99_ms": percentile(times, 0.99)}
    # the search itself, without HTTP or rendering: selectors.search for the same mix
    from courseplatform.search.forms import SearchForm

    times = []
    for params in QUERIES:
        form = SearchForm(params)
        assert form.is_valid(), form.errors
        for _ in range(args.rounds):
            start = time.perf_counter()
            selectors.search(form.cleaned_data)
            times.append((time.perf_counter() - start) * 1000)
    results["selectors.search (no HTTP)"] = {"n": len(times), "p50_ms": statistics.median(times),
                                             "p95_ms": percentile(times, 0.95), "p99_ms": percentile(times, 0.99)}
    totals = {}
    for params in QUERIES[:10]:
        form = SearchForm(params)
        form.is_valid()
        totals[params["q"]] = selectors.search(form.cleaned_data).total

    print(f"\nSearch bench: {args.courses} courses on {connection.vendor} "
          f"({'Redis' if args.redis else 'database'} cache), {args.rounds} rounds of {len(QUERIES)} queries")
    print(f"{'surface':<50} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, r in results.items():
        print(f"{name:<50} {r['n']:>5} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f} {r['p99_ms']:>8.1f}")
    print("results per query:", ", ".join(f"{q}={n}" for q, n in totals.items()))
    print("GET /api/search median per query (ms):",
          ", ".join(f"{q} {ms:.0f}" for q, ms in sorted(per_query.items(), key=lambda kv: -kv[1])))
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    api_p95 = results["GET /api/search (anonymous)"]["p95_ms"]
    print(f"verdict (issue 18: search p95 < 50 ms on {args.courses} courses): GET /api/search p95 {api_p95:.1f} ms "
          f"→ {'PASS' if api_p95 < 50 else 'FAIL'}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "search.json").write_text(json.dumps({
        "when": datetime.now(UTC).isoformat(), "host": platform.node(), "python": platform.python_version(),
        "database": connection.vendor, "courses": args.courses, "rounds": args.rounds, "results": results,
        "per_query_api_median_ms": per_query, "totals": totals, "load_average": os.getloadavg()[0]}, indent=2))


if __name__ == "__main__":
    main()
