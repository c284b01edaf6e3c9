"""Writes of search: the index (kept in step with the catalogue by ``receivers``), the search and click log,
wishlists and the fitted blend weight."""

import logging
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from courseplatform import hooks
from courseplatform.catalog import selectors as catalog
from courseplatform.catalog.models import Course
from courseplatform.events.models import EventType
from courseplatform.events.services import events_ingest, record_server_event

from . import backends
from .models import BlendWeight, SavedCourse, SearchClick, SearchDocument, SearchLog, SearchTerm
from .text import document_terms, latin_words, normalise_query

logger = logging.getLogger(__name__)

BATCH = 500
#: bumped by every index write: cached facet counts (selectors) name the generation they were counted in
GENERATION_KEY = "search:index-generation"
#: courses of a search log kept for fitting the blend weight
LOGGED_CANDIDATES = 20


# --- the index ------------------------------------------------------------------------------------------------

def _new_generation() -> None:
    cache.set(GENERATION_KEY, time.time_ns(), None)


def _extras(course_ids: list[int]) -> dict[int, dict]:
    """The plugins' text and duration of each course (``search_course_extras``), merged."""
    merged: dict[int, dict] = {}
    for answer in hooks.call("search_course_extras", course_ids=list(course_ids)):
        for course_id, extra in answer.items():
            into = merged.setdefault(int(course_id), {"text": [], "duration_s": None})
            if extra.get("text"):
                into["text"].append(str(extra["text"]))
            if extra.get("duration_s") is not None:
                into["duration_s"] = max(float(extra["duration_s"]), into["duration_s"] or 0.0)
    return merged


def _fields(course: Course, extra_text: list[str]) -> dict[str, list[str]]:
    category = course.category
    return {
        "title": document_terms(course.title),
        "subtitle": document_terms(course.subtitle),
        "meta": document_terms(" ".join([category.name, category.name_zh, course.storefront.name,
                                         *[str(t) for t in (course.tags or [])]])),
        "body": document_terms(" ".join([course.description, *extra_text])),
    }


def _vocabulary(course: Course) -> set[str]:
    """The course's Latin words as written (typo correction proposes words, not stems)."""
    category = course.category
    return set(latin_words(" ".join([course.title, course.subtitle, course.description, category.name,
                                     course.storefront.name, *[str(t) for t in (course.tags or [])]])))


def index_courses(course_ids: Iterable[int]) -> int:
    """(Re)index these courses (any state: unpublished ones are stored and never shown); returns the count.
    Courses that no longer exist are dropped from the index."""
    ids = sorted(set(course_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        courses = list(Course.objects.filter(pk__in=chunk).select_related("storefront", "category")
                       .annotate(**catalog.rating_annotations(), n_enrolled=Count("enrollments", distinct=True)))
        rows, docs, vocabulary = [], [], set()
        extras = _extras(chunk)
        # what the catalogue shows: published and not hidden by moderators (nor its storefront)
        shown = set(Course.objects.published().filter(pk__in=chunk).values_list("pk", flat=True))
        for course in courses:
            extra = extras.get(course.pk, {})
            fields = _fields(course, extra.get("text", []))
            rows.append((course.pk, fields))
            vocabulary |= _vocabulary(course)
            docs.append(SearchDocument(
                course=course, published=course.pk in shown, category_id=course.category_id,
                language=course.language, level=course.level, price=course.price, created_at=course.created_at,
                rating_avg=course.avg_rating, rating_count=course.n_rating, enrolments=course.n_enrolled,
                duration_s=extra.get("duration_s")))
        gone = set(chunk) - {c.pk for c in courses}
        with transaction.atomic():
            SearchDocument.objects.bulk_create(
                docs, update_conflicts=True, unique_fields=["course"],
                update_fields=["published",
                               "category", "language", "level", "price", "created_at", "rating_avg",
                               "rating_count", "enrolments", "duration_s", "indexed_at"])
            backends.write_rows(rows)
            SearchTerm.objects.bulk_create([SearchTerm(term=t) for t in sorted(vocabulary)],
                                           ignore_conflicts=True, batch_size=BATCH)
            if gone:
                SearchDocument.objects.filter(course_id__in=gone).delete()
                backends.delete_rows(gone)
        done += len(docs)
    _new_generation()
    return done


def rebuild_index() -> int:
    """The whole index again from the catalogue (the ``rebuild_search_index`` command)."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        backends.clear()
    n = index_courses(Course.objects.values_list("pk", flat=True))
    backends.analyze()
    return n


def remove_courses(course_ids: Iterable[int]) -> None:
    ids = list(course_ids)
    SearchDocument.objects.filter(course_id__in=ids).delete()
    backends.delete_rows(ids)
    _new_generation()


def refresh_stats(course_ids: Iterable[int]) -> None:
    """Ratings and enrolment counts of indexed courses (after a review or an enrolment)."""
    for course_id, n_rating, avg, n_enrolled in (
            Course.objects.filter(pk__in=list(course_ids))
            .annotate(**catalog.rating_annotations(), n_enrolled=Count("enrollments", distinct=True))
            .values_list("pk", "n_rating", "avg_rating", "n_enrolled")):
        SearchDocument.objects.filter(course_id=course_id).update(rating_avg=avg, rating_count=n_rating,
                                                                  enrolments=n_enrolled)
    _new_generation()


# --- the search log ---------------------------------------------------------------------------------------------

def search_log(*, user, query: str, filters: dict, results: int, corrected: str = "",
               candidates: Sequence[tuple[int, float, float | None]] = (), blend_weight: float | None = None,
               source: str = "page") -> SearchLog:
    """Log one search: the learner (never an anonymous session or an address), the normalised query, the
    filters applied and the top candidates as ranked."""
    return SearchLog.objects.create(
        user=user if user is not None and user.is_authenticated else None, query=normalise_query(query),
        filters={k: str(v) for k, v in filters.items() if v not in ("", None)}, results=results,
        corrected=normalise_query(corrected), blend_weight=blend_weight, source=source,
        candidates=[[c, round(r, 4), None if p is None else round(p, 4)]
                    for c, r, p in candidates[:LOGGED_CANDIDATES]])


def search_click(*, log_id: int, course_id: int, position: int, user, session_key: str = "") -> bool:
    """A result of search ``log_id`` was opened: logged once per search and course, and sent to the interaction
    log as a ``click`` on surface ``search`` (the recommender's side information). Returns whether it was new.
    Only the searcher's own log counts (a learner cannot click on someone else's search)."""
    user_id = user.pk if user is not None and user.is_authenticated else None
    log = SearchLog.objects.filter(pk=log_id, user_id=user_id).first()
    if log is None or not Course.objects.published().filter(pk=course_id).exists():
        return False
    _click, created = SearchClick.objects.get_or_create(log=log, course_id=course_id,
                                                        defaults={"position": position})
    if created:
        events_ingest(events=[{"index": 0, "event_id": uuid.uuid4(), "type": EventType.CLICK, "course": course_id,
                               "ts": timezone.now(), "value": None,
                               "context": {"surface": "search", "position": position}}],
                      user=user if user_id else None, session_key=session_key)
    return created


PRUNE_BATCH = 5000


def search_logs_prune(*, older_than_days: int | None = None) -> int:
    """Delete searches (and their clicks) older than ``older_than_days`` (default ``SEARCH_LOG_RETENTION_DAYS``),
    in batches so a large backlog never holds one long lock. Returns how many searches were deleted."""
    days = settings.SEARCH_LOG_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    deleted = 0
    while True:
        ids = list(SearchLog.objects.filter(ts__lt=cutoff).order_by("ts").values_list("pk", flat=True)[:PRUNE_BATCH])
        if not ids:
            return deleted
        _total, per_model = SearchLog.objects.filter(pk__in=ids).delete()  # its clicks cascade
        deleted += per_model.get(SearchLog._meta.label, 0)


# --- wishlist ------------------------------------------------------------------------------------------------

def wishlist_add(*, user, course: Course, surface: str = "") -> bool:
    """Save ``course`` for ``user``; a new entry is logged as a ``wishlist`` event. Returns whether it was new."""
    with transaction.atomic():
        _entry, created = SavedCourse.objects.get_or_create(user=user, course=course)
        if created:
            record_server_event(user=user, course=course, event_type=EventType.WISHLIST, surface=surface[:32])
    return created


def wishlist_remove(*, user, course: Course) -> bool:
    """Take ``course`` off the wishlist (the interaction log keeps the earlier ``wishlist`` event: it was
    interest at the time)."""
    deleted, _ = SavedCourse.objects.filter(user=user, course=course).delete()
    return bool(deleted)


# --- the blend weight ----------------------------------------------------------------------------------------

DEFAULT_BLEND_WEIGHT = 0.3
BLEND_CACHE_KEY = "search:blend-weight"
MIN_SESSIONS = 30
GRID = [n / 20 for n in range(21)]


def _reciprocal_rank(candidates: list, clicked: set[int], weight: float) -> float:
    ranked = sorted(candidates, key=lambda c: (-((1 - weight) * c[1] + weight * (c[2] or 0.0)), c[0]))
    for n, c in enumerate(ranked, start=1):
        if c[0] in clicked:
            return 1.0 / n
    return 0.0


def fit_blend_weight(*, since=None, min_sessions: int = MIN_SESSIONS, save: bool = True) -> BlendWeight | None:
    """Choose the weight of the personal score that ranks learners' clicked results highest (mean reciprocal
    rank over logged searches with a click and personal scores; ties: the smaller weight). ``None`` when fewer
    than ``min_sessions`` sessions are logged (the default weight stays)."""
    logs = SearchLog.objects.filter(user__isnull=False, clicks__isnull=False).distinct()
    if since is not None:
        logs = logs.filter(ts__gte=since)
    sessions = []
    for log in logs.prefetch_related("clicks").only("id", "candidates"):
        candidates = [c for c in log.candidates if c[2] is not None]
        clicked = {click.course_id for click in log.clicks.all()}
        if candidates and clicked & {c[0] for c in candidates}:
            sessions.append((candidates, clicked))
    if len(sessions) < min_sessions:
        return None
    scores = {w: sum(_reciprocal_rank(c, k, w) for c, k in sessions) / len(sessions) for w in GRID}
    best = max(GRID, key=lambda w: (round(scores[w], 9), -w))
    fitted = BlendWeight(weight=best, sessions=len(sessions), mrr_text=scores[0.0], mrr_blend=scores[best])
    if save:
        fitted.save()
        cache.delete(BLEND_CACHE_KEY)
    return fitted
