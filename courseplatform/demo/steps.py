"""``seed_demo`` in named steps, each idempotent (running the whole command again changes nothing).

Core steps: :func:`seed_catalogue_owners` (categories, the admin, creators and their storefronts),
:func:`seed_courses`, :func:`seed_learners`, :func:`simulate_history`, :func:`store_history` and the commerce
records behind paid enrolments (``courseplatform.commerce.demo.seed_commerce``). Plugin steps
live in :mod:`courseplatform.demo.plugin_steps` and run only when their app is installed.

The random draws happen in a fixed order (courses, then learners, then their history), so a seed gives the same
data every time.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from courseplatform.accounts.models import User
from courseplatform.catalog.models import Category, Course, Enrollment, Review, Storefront
from courseplatform.commerce.demo import seed_commerce
from courseplatform.engagement.demo import seed_engagement
from courseplatform.events import selectors as event_selectors
from courseplatform.events import services as event_services
from courseplatform.learning.demo import seed_learning
from courseplatform.search import services as search_services

from .data import CATEGORIES, CREATORS, EN_PATTERNS, PASSWORD, TOPICS, ZH_PATTERNS

Progress = Callable[[str, int], Callable[[int], None]]


@dataclass
class DemoSummary:
    users: int
    courses: int
    enrollments: int
    interactions: int


@dataclass
class History:
    """What :func:`simulate_history` drew, not yet stored."""

    events: list[dict] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + np.exp(-x))


def _no_progress(label: str, total: int) -> Callable[[int], None]:
    return lambda n=1: None


@transaction.atomic
def seed_catalogue_owners(password_hash: str) -> tuple[list[Category], list[Storefront]]:
    """The categories, the staff account ``admin`` and each creator with their storefront."""
    categories = [Category.objects.get_or_create(slug=slug, defaults={"name": name, "name_zh": name_zh})[0]
                  for slug, name, name_zh in CATEGORIES]
    admin, created = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "display_name": "Site admin",
                                    "email": "admin@example.com"})
    if created:
        admin.password = password_hash
        admin.save(update_fields=["password"])
    storefronts = []
    for username, display, shop, slug, colors, keywords in CREATORS:
        creator, _ = User.objects.get_or_create(
            username=username, defaults={"role": User.Role.CREATOR, "display_name": display,
                                         "password": password_hash, "email": f"{username}@example.com"})
        store, _ = Storefront.objects.get_or_create(
            slug=slug, defaults={"owner": creator, "name": shop, "brand_colors": colors,
                                 "brand_keywords": [k.strip() for k in keywords.split(",")],
                                 "tagline": f"Courses by {display}"})
        storefronts.append(store)
    return categories, storefronts


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def fresh_title(topics: list[str], patterns: list[str], topic_index: int, pattern_index: int, seen: set[str], *,
                chinese: bool) -> tuple[str, str]:
    """(title, topic): the drawn topic in the drawn pattern or, when a course has that title already, the next
    unused pair of the category's grid; once every pair is used, an edition ("…, 2nd Edition", "…（第2版）").
    Titles read like real ones, never "Python for Beginners (148)"."""
    size = len(topics) * len(patterns)
    start = topic_index * len(patterns) + pattern_index
    edition = 1
    while True:
        for k in range(size):
            j = (start + k) % size
            topic, pattern = topics[j // len(patterns)], patterns[j % len(patterns)]
            title = pattern.format(t=topic)
            if edition > 1:
                title = f"{title}（第{edition}版）" if chinese else f"{title}, {_ordinal(edition)} Edition"
            if title not in seen:
                return title, topic
        edition += 1


@transaction.atomic
def seed_courses(rng: np.random.Generator, categories: list[Category], storefronts: list[Storefront],
                 n_courses: int, step: Callable[[int], None]) -> tuple[list[Course], np.ndarray]:
    """``n_courses`` published courses (each storefront favours two categories) and their latent appeal."""
    appeal = rng.lognormal(0.0, 0.6, size=n_courses)
    courses: list[Course] = []
    seen_titles: set[str] = set()
    for i in range(n_courses):
        s_idx = i % len(storefronts)
        cat_idx = (2 * s_idx + int(rng.integers(0, 2))) % len(categories) if rng.random() < 0.8 \
            else int(rng.integers(0, len(categories)))
        cat = categories[cat_idx]
        en_topics, zh_topics = TOPICS[cat.slug]
        chinese = rng.random() < 0.4
        title, topic = fresh_title(zh_topics if chinese else en_topics, ZH_PATTERNS if chinese else EN_PATTERNS,
                                   int(rng.integers(0, 6)), int(rng.integers(0, 6)), seen_titles, chinese=chinese)
        seen_titles.add(title)
        price = Decimal(str(int(rng.choice([0, 19, 29, 49, 79, 99, 149]))))
        course, _ = Course.objects.get_or_create(
            storefront=storefronts[s_idx], title=title,
            defaults={
                "subtitle": ("系统学习" + topic) if chinese else f"A hands-on course in {topic}",
                "description": f"{title}\n\n" + ("课程包含视频、练习与项目。" if chinese else
                                                 "Videos, exercises and a final project."),
                "category": cat, "tags": [topic.lower()[:40], cat.slug],
                "level": ["beginner", "intermediate", "advanced"][int(rng.integers(0, 3))],
                "language": "zh-hans" if chinese else "en", "price": price, "published": True,
                # a storefront sells in one currency: the Chinese-named ones in yuan (知识付费 prices, same figures)
                "currency": "CNY" if any("\u4e00" <= ch <= "\u9fff" for ch in storefronts[s_idx].name) else "USD",
            })
        courses.append(course)
        step(1)
    return courses, appeal


def seed_learners(rng: np.random.Generator, categories: list[Category], n_learners: int, password_hash: str,
                  step: Callable[[int], None]) -> tuple[dict[str, User], np.ndarray]:
    """``learner1`` … ``learnerN`` with latent interests θ (their two strongest are their sign-up interests)."""
    existing = set(User.objects.filter(username__startswith="learner").values_list("username", flat=True))
    new_users = []
    thetas = rng.dirichlet(np.full(len(categories), 0.3), size=n_learners)
    for u in range(n_learners):
        name = f"learner{u + 1}"
        if name not in existing:
            new_users.append(User(username=name, role=User.Role.LEARNER, password=password_hash,
                                  display_name=f"Learner {u + 1}"))
        step(1)
    User.objects.bulk_create(new_users, batch_size=500)
    learners = {u.username: u for u in User.objects.filter(username__startswith="learner")}
    through = User.interests.through
    if not through.objects.filter(user__username__startswith="learner").exists():
        rows = [through(user_id=learners[f"learner{u + 1}"].pk, category_id=categories[c].pk)
                for u in range(n_learners) for c in np.argsort(-thetas[u])[:2]]
        through.objects.bulk_create(rows, ignore_conflicts=True)
    return learners, thetas


def simulate_history(rng: np.random.Generator, *, seed: int, courses: list[Course], appeal: np.ndarray,
                     categories: list[Category], learners: dict[str, User], thetas: np.ndarray, now: datetime,
                     step: Callable[[int], None]) -> History:
    """Feed sessions over the last 180 days: impressions, clicks, views, enrolments, completions and ratings
    drawn from the model in ``data.py``. Event ids derive from the seed, so a rerun stores nothing twice."""
    namespace = uuid.UUID(int=seed)
    course_cat = np.array([categories.index(c.category) for c in courses])
    prices = np.array([float(c.price) for c in courses])
    start = now - timedelta(days=180)
    p_show = appeal / appeal.sum()
    history = History()
    counter = 0
    for u in range(len(thetas)):
        learner = learners[f"learner{u + 1}"]
        enrolled: set[int] = set()
        n_sessions = 3 + int(rng.poisson(12))
        times = np.sort(rng.uniform(0, 180 * 86400, size=n_sessions))
        for s in range(n_sessions):
            t = start + timedelta(seconds=float(times[s]))
            shown = rng.choice(len(courses), size=8, replace=False, p=p_show)
            for pos, c in enumerate(shown):
                counter += 1
                ts = t + timedelta(seconds=pos)

                def emit(kind: str, value: float | None = None, _c=int(c), _ts=ts, _pos=pos, _u=u,
                         _learner=learner) -> None:
                    nonlocal counter
                    counter += 1
                    history.events.append({"event_id": uuid.uuid5(namespace, f"{_u}-{counter}"), "user": _learner,
                                           "course": courses[_c], "type": kind, "ts": _ts, "value": value,
                                           "surface": "home", "position": _pos})

                emit("impression")
                affinity = thetas[u, course_cat[c]]
                if rng.random() < _sigmoid(-2.2 + 4 * affinity + 0.5 * np.log(appeal[c]) - 0.08 * pos):
                    emit("click")
                    emit("view")
                    if c not in enrolled and rng.random() < _sigmoid(-1.2 + 3 * affinity - 0.01 * prices[c]):
                        enrolled.add(int(c))
                        emit("enroll")
                        done = rng.random() < 0.45
                        history.enrollments.append(Enrollment(
                            learner=learner, course=courses[c], price_paid=courses[c].price, created_at=ts,
                            completed_at=ts + timedelta(days=7) if done else None))
                        if done:
                            emit("complete")
                            stars = int(np.clip(round(3 + 2 * affinity + rng.normal(0, 0.7)), 1, 5))
                            emit("rate", float(stars))
                            history.reviews.append(Review(learner=learner, course=courses[c], rating=stars,
                                                          text="" if rng.random() < 0.6 else "Great course!"))
        step(1)
    return history


@transaction.atomic
def store_history(history: History) -> bool:
    """The interaction log (through the events services), enrolments and reviews, in one transaction; returns
    False (storing nothing) when this history is stored already: a refund the commerce step recorded later ended
    some of its enrolments, and a rerun must not bring them back."""
    if not history.events or event_selectors.stored_event_ids([history.events[0]["event_id"]]):
        return False
    event_services.history_import(history.events)
    Enrollment.objects.bulk_create(history.enrollments, batch_size=2000, ignore_conflicts=True)
    Review.objects.bulk_create(history.reviews, batch_size=2000, ignore_conflicts=True)
    return True


def summary() -> DemoSummary:
    return DemoSummary(users=User.objects.count(), courses=Course.objects.count(),
                       enrollments=Enrollment.objects.count(), interactions=event_selectors.interaction_count())


def seed_demo(*, seed: int = 7, n_courses: int = 200, n_learners: int = 1000,
              progress: Progress | None = None) -> DemoSummary:
    """Create (or complete) the core's demo data: the steps above, in order."""
    tick = progress or _no_progress
    rng = np.random.default_rng(seed)
    password_hash = make_password(PASSWORD)
    categories, storefronts = seed_catalogue_owners(password_hash)
    courses, appeal = seed_courses(rng, categories, storefronts, n_courses, tick("courses", n_courses))
    learners, thetas = seed_learners(rng, categories, n_learners, password_hash, tick("learners", n_learners))
    history = simulate_history(rng, seed=seed, courses=courses, appeal=appeal, categories=categories,
                               learners=learners, thetas=thetas, now=timezone.now(),
                               step=tick("interactions", n_learners))
    store_history(history)
    seed_commerce(seed=seed)  # paid orders, refunds and coupons behind the paid enrolments: revenue in analytics
    seed_learning(seed=seed)  # curricula, and the (remaining) enrolments' progress, quizzes and certificates
    seed_engagement(seed=seed)  # polls, challenges and rewards on the first storefronts; lesson points
    search_services.rebuild_index()  # bulk inserts send no signals: popularity and ratings enter the index here
    return summary()
