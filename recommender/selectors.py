"""Reads for the recommender: the active version and each visitor's feed.

Serving never touches the engine or torch. A learner's feed is the active version's materialised rows
(:class:`~recommender.models.FeedItem`), re-ranked at request time with numpy by what the learner did since
that version was trained (fresh enrolments and clicks pull their neighbours up), with new courses surfaced by
content similarity, owned and unpublished courses removed, and a diversity rule applied: no more than
:data:`MAX_RUN` courses in a row from one category or one storefront. Learners without rows (new sign-ups)
get popular courses in the interests they picked; anonymous visitors get popular courses.

The ranked candidates are cached per learner (see :mod:`recommender.cache`); the entry names the version it
came from, so activating another version makes it stale at once, and enrolling or clicking deletes it.
"""

import json
import logging
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from django.core.cache import cache
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course, Enrollment
from courseplatform.catalog.selectors import enrolled_course_ids
from courseplatform.events import selectors as events
from courseplatform.events.models import EventType
from courseplatform.moderation.selectors import hidden_course_ids

from . import cache as keys
from .content import build_index
from .models import CourseSimilarity, FeedItem, ModelVersion, ReasonCode, TrainingRun

logger = logging.getLogger(__name__)

MAX_RUN = 2  # at most this many consecutive courses from one category or one storefront
POOL = 60  # ranked candidates kept per learner
FRESH_WEIGHTS = {EventType.CLICK: 1.0, EventType.VIEW: 2.0, EventType.WISHLIST: 3.0, EventType.ENROLL: 5.0,
                 EventType.COMPLETE: 8.0}
FRESH_WINDOW = timedelta(days=30)
FRESH_LAMBDA = 1.0  # weight of fresh-activity similarity against the materialised rank score
NEW_LAMBDA = 0.8  # weight of a new course's content similarity to the learner's courses
NEW_MIN_SIMILARITY = 0.2
NEW_COURSE_MAX_INTERACTIONS = 3  # a course is "new" until it has this many learner interactions
NEW_PER_FEED = 3


# --- versions and tables ----------------------------------------------------------------------------------

def active_version_info() -> dict:
    """``{"id", "created_at"}`` of the active version (``None`` values when there is none), cached briefly."""
    info = cache.get(keys.ACTIVE_KEY)
    if info is None:
        row = ModelVersion.objects.filter(is_active=True).values("id", "created_at").first()
        info = {"id": row["id"], "created_at": row["created_at"].timestamp()} if row else \
            {"id": None, "created_at": None}
        cache.set(keys.ACTIVE_KEY, info, keys.ACTIVE_TTL_S)
    return info


def active_version_id() -> int | None:
    return active_version_info()["id"]


def active_version() -> ModelVersion | None:
    return ModelVersion.objects.filter(is_active=True).first()


def model_versions():
    return ModelVersion.objects.select_related("activated_by").order_by("-id")


def training_runs(limit: int = 20):
    return TrainingRun.objects.select_related("requested_by", "version").order_by("-id")[:limit]


def popularity_table(version_id: int | None) -> list[tuple[int, int, int]]:
    """Published courses by enrolment count, most popular first: ``(course_id, category_id, enrolments)``."""
    key = keys.popular_key(version_id)
    table = cache.get(key)
    if table is None:
        table = [tuple(r) for r in Course.objects.published().annotate(n=Count("enrollments"))
                 .order_by("-n", "-id").values_list("id", "category_id", "n")[:1000]]
        cache.set(key, table, keys.POPULAR_TTL_S)
    return table


def popular_courses(limit: int = 20, exclude: set[int] | None = None):
    ids = [cid for cid, _cat, _n in popularity_table(active_version_id()) if not exclude or cid not in exclude]
    by_id = Course.objects.published().select_related("storefront", "category").in_bulk(ids[:limit])
    return [by_id[i] for i in ids[:limit] if i in by_id]


def new_course_ids(version_id: int | None) -> list[int]:
    """Published courses the active model does not know (newest first): the content-similarity path surfaces
    them until a version trained on their interactions is active. Without a version (or one saved before it
    recorded its courses): courses with fewer than a few learner interactions."""
    key = keys.new_courses_key(version_id)
    ids = cache.get(key)
    if ids is None:
        known = None
        if version_id:
            known = ModelVersion.objects.filter(pk=version_id).values_list("known_course_ids", flat=True).first()
        published = Course.objects.published().order_by("-created_at", "-id")
        if known:
            known_set = set(known)
            ids = [c for c in published.values_list("id", flat=True) if c not in known_set][:200]
        else:
            ids = list(events.with_few_engagements(published, NEW_COURSE_MAX_INTERACTIONS)
                       .values_list("id", flat=True)[:200])
        cache.set(key, ids, keys.POPULAR_TTL_S)
    return ids


def owned_course_ids(user) -> set[int]:
    """Courses the learner is enrolled in or sells."""
    if user is None or not user.is_authenticated:
        return set()
    enrolled = Enrollment.objects.filter(learner=user).values_list("course_id", flat=True)
    sold = Course.objects.filter(storefront__owner=user).values_list("id", flat=True)
    return set(enrolled) | set(sold)


# --- ranking ----------------------------------------------------------------------------------------------

def _cold_start(user, version_id: int | None) -> list[tuple[int, str, int | None]]:
    """Popular in the learner's interests (round-robin over them), then popular overall."""
    table = popularity_table(version_id)
    interests = list(user.interests.values_list("id", flat=True)) if user is not None else []
    out: list[tuple[int, str, int | None]] = []
    if interests:
        per_category = {cat: [cid for cid, c, _n in table if c == cat] for cat in interests}
        depth = max((len(v) for v in per_category.values()), default=0)
        for k in range(depth):
            for cat in interests:
                if k < len(per_category[cat]):
                    out.append((per_category[cat][k], ReasonCode.POPULAR_IN, cat))
            if len(out) >= POOL:
                break
    seen = {c for c, _r, _a in out}
    out += [(cid, ReasonCode.POPULAR, None) for cid, _c, _n in table if cid not in seen][: max(POOL - len(out), 0)]
    return out[:POOL]


def _content_similarity(anchors: Sequence[int], targets: Sequence[int]) -> dict[tuple[int, int], float]:
    """Cosine content similarity (title, tags, category) of each anchor course to each target course."""
    ids = list(dict.fromkeys([*anchors, *targets]))
    if not anchors or not targets:
        return {}
    rows = {r["id"]: r for r in Course.objects.filter(pk__in=ids).values("id", "title", "tags", "category_id")}
    ids = [i for i in ids if i in rows]
    index = build_index((i, rows[i]["title"], rows[i]["tags"], rows[i]["category_id"]) for i in ids)
    pos = {cid: n for n, cid in enumerate(index.keys)}
    a = [pos[i] for i in anchors if i in pos]
    t = [pos[i] for i in targets if i in pos]
    if not a or not t:
        return {}
    sims = index.similarity(a)[:, t]
    return {(index.keys[a[r]], index.keys[t[c]]): float(sims[r, c])
            for r in range(len(a)) for c in range(len(t)) if sims[r, c] > 0}


def rank_candidates(user, info: dict, owned: set[int] | None = None) -> list[tuple[int, str, int | None]]:
    """The learner's ranked ``(course_id, reason_code, reason_arg)`` candidates (before diversity)."""
    version_id = info["id"]
    owned = owned_course_ids(user) if owned is None else owned
    base: list[tuple[int, str, int | None]] = []
    if version_id and user is not None:
        base = [(c, r, a) for c, r, a in FeedItem.objects.filter(version_id=version_id, user=user)
                .order_by("rank").values_list("course_id", "reason_code", "reason_arg")[:POOL]]
    if not base:
        base = _cold_start(user, version_id)
    if user is None:
        return base
    base = [b for b in base if b[0] not in owned]

    # fresh activity: what the learner did since the active version was trained
    since = datetime.fromtimestamp(info["created_at"], tz=UTC) if info["created_at"] else None
    window_start = datetime.now(tz=UTC) - FRESH_WINDOW
    since = max(since, window_start) if since else window_start
    recent: dict[int, float] = {}
    for cid, etype in events.recent_activity(user, since=since, types=FRESH_WEIGHTS, limit=30):
        recent[cid] = recent.get(cid, 0.0) + FRESH_WEIGHTS[etype]
    history = list(dict.fromkeys([*recent, *sorted(owned)]))[:30]

    neighbours: dict[tuple[int, int], float] = {}
    if recent and version_id:
        rows = list(CourseSimilarity.objects.filter(version_id=version_id, course_id__in=list(recent))
                    .values_list("course_id", "other_id", "kind", "score"))
        top = {}
        for src, _o, kind, s in rows:
            top[(src, kind)] = max(top.get((src, kind), 0.0), s)
        for src, other, kind, s in rows:
            norm = s / top[(src, kind)] if top[(src, kind)] > 0 else 0.0
            neighbours[(src, other)] = max(neighbours.get((src, other), 0.0), norm)
    in_base = {b[0] for b in base}
    new_ids = [c for c in new_course_ids(version_id) if c not in owned and c not in in_base]
    pool = list(dict.fromkeys([b[0] for b in base] + [o for (_s, o) in neighbours if o not in owned]))
    content = _content_similarity(history, list(dict.fromkeys(new_ids + (pool if not neighbours else []))))
    for (src, other), s in content.items():
        if src in recent and other not in owned:
            neighbours[(src, other)] = max(neighbours.get((src, other), 0.0), s)
    pool = list(dict.fromkeys(pool + [o for (_s, o) in neighbours if o not in owned]))
    new_best: dict[int, tuple[float, int]] = {}
    for (src, other), s in content.items():
        if other in new_ids and s >= NEW_MIN_SIMILARITY and s > new_best.get(other, (0.0, 0))[0]:
            new_best[other] = (s, src)
    new_pick = sorted(new_best, key=lambda c: -new_best[c][0])[:NEW_PER_FEED]
    pool = list(dict.fromkeys(pool + new_pick))
    if not pool:
        return []

    # cheap numpy re-ranking: rank score of the materialised list + fresh similarity + new-course similarity
    n = len(pool)
    reasons = {c: (r, a) for c, r, a in base}
    base_score = np.zeros(n, dtype=np.float32)
    for k, (c, _r, _a) in enumerate(base):
        base_score[pool.index(c)] = 1.0 - k / max(len(base), 1)
    fresh = np.zeros(n, dtype=np.float32)
    anchor = [None] * n
    if recent:
        total = sum(recent.values())
        weights = np.array(list(recent.values()), dtype=np.float32) / total
        sims = np.array([[neighbours.get((src, c), 0.0) for src in recent] for c in pool], dtype=np.float32)
        fresh = sims @ weights
        best_src = sims.argmax(axis=1)
        srcs = list(recent)
        anchor = [srcs[int(b)] if sims[k, int(b)] > 0 else None for k, b in enumerate(best_src)]
    novelty = np.array([new_best[c][0] if c in new_pick else 0.0 for c in pool], dtype=np.float32)
    score = base_score + FRESH_LAMBDA * fresh + NEW_LAMBDA * novelty
    order = np.argsort(-score, kind="stable")
    out = []
    for k in order.tolist():
        c = pool[k]
        if c in new_pick and novelty[k] * NEW_LAMBDA >= FRESH_LAMBDA * fresh[k]:
            code, arg = ReasonCode.SIMILAR_NEW, new_best[c][1]
        elif anchor[k] is not None and FRESH_LAMBDA * fresh[k] >= 0.5 * base_score[k]:
            code, arg = ReasonCode.BECAUSE, anchor[k]
        elif c in reasons:
            code, arg = reasons[c]
        else:
            code, arg = ReasonCode.FOR_YOU, None
        out.append((c, str(code), arg))
    return out[:POOL]


def diversify(items: Sequence, *, limit: int, max_run: int = MAX_RUN, keys_of=None) -> list:
    """Greedy re-ranking so that no more than ``max_run`` consecutive items share a category or a storefront.

    Takes the best remaining item that does not extend a run past ``max_run``; when none qualifies (the
    candidates are all alike) the best one is taken anyway.
    """
    keys_of = keys_of or (lambda c: (("cat", c.category_id), ("shop", c.storefront_id)))
    remaining = list(items)
    out: list = []
    while remaining and len(out) < limit:
        pick = 0
        if len(out) >= max_run:
            tail = [set(keys_of(x)) for x in out[-max_run:]]
            blocked = set.intersection(*tail)
            for idx, item in enumerate(remaining):
                if not blocked.intersection(keys_of(item)):
                    pick = idx
                    break
        out.append(remaining.pop(pick))
    return out


def _reason_text(code: str, arg: int | None, course: Course, titles: dict[int, str], owned: set[int],
                 categories: dict[int, str]) -> str:
    if code == ReasonCode.BECAUSE and arg in titles:
        if arg in owned:
            return _("Because you took “%(title)s”") % {"title": titles[arg]}
        return _("Because you looked at “%(title)s”") % {"title": titles[arg]}
    if code == ReasonCode.SIMILAR_NEW and arg in titles:
        return _("New, and like “%(title)s”") % {"title": titles[arg]}
    if code == ReasonCode.POPULAR_IN:
        return _("Popular in %(category)s") % {"category": categories.get(arg) or str(course.category)}
    if code == ReasonCode.FOR_YOU:
        return _("Learners like you took this")
    return _("Popular on the platform")


reason_text = _reason_text  # shared with the interleaved feed (recommender.interleaving)


def version_info(version_id: int) -> dict:
    """``{"id", "created_at"}`` of any version (``id`` None when it does not exist)."""
    row = ModelVersion.objects.filter(pk=version_id).values("id", "created_at").first()
    return {"id": row["id"], "created_at": row["created_at"].timestamp()} if row else {"id": None, "created_at": None}


def feed_for_user(user, limit: int = 20, version_id: int | None = None) -> list[dict]:
    """``[{"course": Course, "reason": str, "reason_code": str}]`` for a learner (or ``None`` for anonymous),
    from the active version, or from ``version_id`` (a model-version experiment's arm)."""
    if user is not None and not user.is_authenticated:
        user = None
    info = active_version_info()
    key = keys.feed_key(user.pk if user else None)
    if version_id is not None and version_id != info["id"]:
        info = version_info(version_id)
        key = keys.arm_feed_key(user.pk if user else None)
    entry = cache.get(key)
    if isinstance(entry, dict) and entry.get("v") == info["id"] and "owned" in entry:
        ranked, owned = entry["items"], set(entry["owned"])
    else:
        # owned courses are cached with the ranking: enrolling drops the entry (services.record_server_event)
        owned = owned_course_ids(user) if user else set()
        ranked = rank_candidates(user, info, owned)
        cache.set(key, {"v": info["id"], "items": ranked, "owned": sorted(owned)}, keys.FEED_TTL_S)
    ids = [c for c, _r, _a in ranked if c not in owned][: limit + 4 * MAX_RUN]  # slack for the diversity rule
    anchors = {a for c, r, a in ranked if a and c in ids and r in (ReasonCode.BECAUSE, ReasonCode.SIMILAR_NEW)}
    courses = (Course.objects.select_related("storefront", "category").defer("description")
               .in_bulk(list(set(ids) | anchors)))
    titles = {cid: c.title for cid, c in courses.items()}
    categories = {c.category_id: str(c.category) for c in courses.values()}
    reason_of = {c: (r, a) for c, r, a in ranked}
    me = user.pk if user else None
    hidden = hidden_course_ids()  # by moderators since the ranking was cached
    visible = [courses[c] for c in ids if c in courses and courses[c].published and c not in hidden
               and courses[c].storefront.owner_id != me]
    if len(visible) < limit:  # everything was owned or unpublished: fill with popular courses
        taken = {c.pk for c in visible} | owned
        for course in popular_courses(limit + len(taken), exclude=taken):
            visible.append(course)
            reason_of.setdefault(course.pk, (ReasonCode.POPULAR, None))
    picked = diversify(visible, limit=limit)
    return [{"course": c, "reason_code": reason_of[c.pk][0],
             "reason": _reason_text(*reason_of[c.pk], c, titles, owned, categories)} for c in picked]


def feed_for_request(request, limit: int = 20, storefront_id: int | None = None,
                     version_id: int | None = None) -> list[dict]:
    """Courses for the visitor of ``request`` (the home page's "Recommended for you", a storefront's section,
    ``GET /api/feed``), each with a short reason; with ``storefront_id`` that storefront's courses only; with
    ``version_id`` ranked by that model version instead of the active one.
    Writes nothing: the caller logs what it shows (``courseplatform.events``)."""
    started = time.perf_counter()
    user = request.user if request.user.is_authenticated else None
    if storefront_id is None:
        items = feed_for_user(user, limit, version_id)
    else:
        items = [i for i in feed_for_user(user, 50, version_id)
                 if i["course"].storefront_id == storefront_id][:limit]
    logger.debug("feed for %s in %.1f ms", user.pk if user else "anonymous", 1000 * (time.perf_counter() - started))
    return items


def _catalog_generation(got: dict) -> str:
    gen = got.get(keys.CATALOG_KEY)
    if gen is None:  # evicted or never set: start one (another process may win the race: use theirs)
        cache.add(keys.CATALOG_KEY, uuid.uuid4().hex, None)
        gen = cache.get(keys.CATALOG_KEY, "")
    return gen


def feed_cache_keys(user_id: int | None) -> list[str]:
    """The cache keys :func:`feed_payload` reads for learner ``user_id`` (None: an anonymous visitor)."""
    return [keys.ACTIVE_KEY, keys.CATALOG_KEY, keys.rendered_key(user_id)]


def feed_payload(request, limit: int = 20, got: dict | None = None) -> dict:
    """``GET /api/feed``'s answer for the visitor of ``request``: ``{"version", "ids", "body"}`` (``ids`` the
    course ids in order, ``body`` the response's JSON, ``{"version", "items"}``), cached per visitor, language and limit with the active version
    and the catalogue generation it was rendered from (:mod:`recommender.cache`). A warm request is one cache
    round trip and no query (none with ``got``, what ``cache.get_many(feed_cache_keys(user_id))`` answered,
    e.g. read in the throttle's round trip); a stale or missing entry is ranked by :func:`feed_for_request`
    and stored."""
    *_shared, key = wanted = feed_cache_keys(request.user.pk if request.user.is_authenticated else None)
    if got is None:
        got = cache.get_many(wanted)
    info = got.get(keys.ACTIVE_KEY) or active_version_info()
    gen = _catalog_generation(got)
    view = f"{translation.get_language()}:{limit}"
    entry = got.get(key)
    if not (isinstance(entry, dict) and entry.get("v") == info["id"] and entry.get("g") == gen):
        entry = {"v": info["id"], "g": gen, "views": {}}
    payload = entry["views"].get(view)
    if not (isinstance(payload, dict) and "body" in payload):  # missing, or cached by an older release
        items = feed_for_request(request, limit=limit)
        body = {
            "version": info["id"],
            "items": [
                {"position": n, "reason": item["reason"], "reason_code": item["reason_code"],
                 "course": {"id": c.pk, "title": c.title, "url": c.get_absolute_url(), "category": str(c.category),
                            "storefront": c.storefront.name, "price": f"{c.price:.2f}"}}
                for n, item in enumerate(items, start=1) for c in [item["course"]]
            ],
        }
        # rendered once, here (compact UTF-8, as DRF's renderer): a warm request answers these bytes, with no
        # JSON encoding and a cheap unpickle
        payload = {"version": info["id"], "ids": [item["course"].pk for item in items],
                   "body": json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()}
        entry["views"][view] = payload
        cache.set(key, entry, keys.FEED_TTL_S)
    return payload


def feed_payload_mark_logged(request, limit: int, window: int) -> None:
    """Remember on the learner's rendered entry that its impressions were dealt with in dedupe ``window``, so
    a warm request in the same window skips the per-course check (one cache round trip less). Learners only:
    anonymous visitors share one entry but not their impressions."""
    if not request.user.is_authenticated:
        return
    key = keys.rendered_key(request.user.pk)
    entry = cache.get(key)
    payload = entry.get("views", {}).get(f"{translation.get_language()}:{limit}") if isinstance(entry, dict) else None
    if payload is not None and payload.get("logged") != window:
        payload["logged"] = window
        cache.set(key, entry, keys.FEED_TTL_S)


# --- "You may also like" on a course page ------------------------------------------------------------------

#: how many "You may also like" cards a course page shows
ALSO_LIKE_LIMIT = 4


def also_like(course: Course, user, *, limit: int = ALSO_LIKE_LIMIT) -> list[dict]:
    """The course page's "You may also like" list: ``[{"course": Course, "reason": str}]``, best first.

    First the active recommender version's neighbours of ``course`` (collaborative before content, each by
    score: :class:`~recommender.models.CourseSimilarity`), then, when those run short (no active version, a
    course the model has not seen), the popularity table restricted to this course's storefront
    and category: same storefront and category, then same storefront, then same category. The course itself,
    unpublished courses and courses the visitor is enrolled in are left out.

    A bounded number of queries whatever the catalogue's size: enrolments, the neighbours, the storefront's
    course ids (only when falling back), one fetch of the picked courses; the active version and the
    popularity table come from the cache.
    """
    exclude = {course.pk} | enrolled_course_ids(user)
    picked: dict[int, str] = {}  # course id -> reason text, in rank order

    version_id = active_version_id()
    if version_id:
        collaborative = CourseSimilarity.Kind.COLLABORATIVE
        rows = (CourseSimilarity.objects.filter(version_id=version_id, course_id=course.pk)
                .exclude(other_id__in=exclude).order_by("-score", "other_id")
                .values_list("other_id", "kind")[: 4 * limit])  # slack for unpublished neighbours
        rows = sorted(rows, key=lambda r: r[1] != collaborative)  # stable: collaborative first, each by score
        for other_id, kind in rows:
            picked.setdefault(other_id, _("Learners who took this course also took it") if kind == collaborative
                              else _("Similar to this course"))

    courses: dict[int, Course] = {}
    if picked:
        courses = (Course.objects.published().select_related("storefront", "category").defer("description")
                   .in_bulk(list(picked)))
        picked = {cid: reason for cid, reason in picked.items() if cid in courses}
    if len(picked) < limit:
        same_shop = set(course.storefront.courses.published().values_list("id", flat=True))

        def priority(row) -> int:
            cid, category_id, _n = row
            return (0 if cid in same_shop else 2) + (0 if category_id == course.category_id else 1)

        table = [r for r in popularity_table(version_id) if r[0] not in exclude and r[0] not in picked
                 and (r[0] in same_shop or r[1] == course.category_id)]
        fill = sorted(table, key=priority)[: limit - len(picked)]  # stable: most popular first in each group
        more = (Course.objects.published().select_related("storefront", "category").defer("description")
                .in_bulk([cid for cid, _c, _n in fill])) if fill else {}
        for cid, _c, _n in fill:
            if cid in more:
                courses[cid] = more[cid]
                picked[cid] = (_("More from %(storefront)s") % {"storefront": course.storefront.name}
                               if cid in same_shop else
                               _("Popular in %(category)s") % {"category": course.category})
    out = []
    for cid, reason in list(picked.items())[:limit]:
        item = courses[cid]
        if item.storefront_id == course.storefront_id:
            item.storefront = course.storefront  # one instance: its palette and experiment are looked up once
        out.append({"course": item, "reason": reason})
    return out
