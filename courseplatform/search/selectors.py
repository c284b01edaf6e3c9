"""Reads of search: results with filters, sorts and facet counts; suggestions; wishlists; staff analytics.

A results page costs the same number of queries whatever it shows: the categories, one aggregate for the
total and every facet count, the ranked ids, the page's courses (and, for a learner's relevance order, the
personal scores and the blend weight). Nothing here writes; the views log searches through ``services``.
"""

import hashlib
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from courseplatform import hooks
from courseplatform.catalog.models import Category, Course

from . import backends
from .forms import DURATIONS, PRICES, RATINGS
from .models import BlendWeight, SavedCourse, SearchDocument, SearchLog, SearchTerm
from .services import BLEND_CACHE_KEY, DEFAULT_BLEND_WEIGHT, GENERATION_KEY
from .text import QueryPart, latin_words, prefix_source, query_parts, replace_words, similarity

PAGE_SIZE = 20
#: the top results re-ranked with the learner's personal scores
BLEND_DEPTH = 50
CORRECTION_MIN_SIMILARITY = 0.25
SORT_ORDER = {
    "newest": ("-created_at", "-course_id"),
    "rating": (F("rating_avg").desc(nulls_last=True), "-rating_count", "-course_id"),
    "price_asc": ("price", "-enrolments", "-course_id"),
    "price_desc": ("-price", "-enrolments", "-course_id"),
}
POPULAR_ORDER = ("-enrolments", "-created_at", "-course_id")
RATING_STEPS = (4, 3, 2)


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""  # set by the view (the page's state with this value toggled)


@dataclass
class SearchResults:
    courses: list[Course]
    total: int
    page: int
    pages: int
    query: str
    corrected: str = ""  # the query the results are for, when the typed one matched nothing
    facets: dict[str, list[Facet]] = field(default_factory=dict)
    popular: list[Course] = field(default_factory=list)  # shown when nothing matches
    candidates: list[tuple[int, float, float | None]] = field(default_factory=list)  # for the search log
    blend_weight: float | None = None

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# --- filters and facets ----------------------------------------------------------------------------------------

FILTERS = ("category", "language", "level", "price", "min_price", "max_price", "rating", "duration")


def _conditions(params: dict, category_id: int | None) -> dict[str, Q]:
    """One condition per filter in use, named by its facet (price bounds belong to no facet)."""
    out: dict[str, Q] = {}
    if category_id is not None:
        out["category"] = Q(category_id=category_id)
    for name in ("language", "level"):
        if params.get(name):
            out[name] = Q(**{name: params[name]})
    if params.get("price") == "free":
        out["price"] = Q(price=0)
    elif params.get("price") == "paid":
        out["price"] = Q(price__gt=0)
    bounds = Q()
    if params.get("min_price") is not None:
        bounds &= Q(price__gte=params["min_price"])
    if params.get("max_price") is not None:
        bounds &= Q(price__lte=params["max_price"])
    if bounds:
        out["bounds"] = bounds
    if params.get("rating"):
        out["rating"] = Q(rating_avg__gte=params["rating"])
    if params.get("duration"):
        out["duration"] = _duration_q(params["duration"])
    return out


def _duration_q(value: str) -> Q:
    _v, _label, low, high = next(d for d in DURATIONS if d[0] == value)
    q = Q(duration_s__gte=low)
    return q & Q(duration_s__lt=high) if high is not None else q


def _all(conditions: dict[str, Q], skip: str = "") -> Q:
    q = Q()
    for name, condition in conditions.items():
        if name != skip:
            q &= condition
    return q


def _counts(matched: QuerySet, conditions: dict[str, Q], categories: list[Category]) -> dict[str, int]:
    """The number of results and every facet value's count in ONE aggregate over the matched documents: each
    facet counts among the results of every other filter (picking a value shows what the others would give)."""
    values = {
        "category": [(str(c.pk), Q(category_id=c.pk)) for c in categories],
        "language": [(v, Q(language=v)) for v, _l in Course.Language.choices],
        "level": [(v, Q(level=v)) for v, _l in Course.Level.choices],
        "price": [("free", Q(price=0)), ("paid", Q(price__gt=0))],
        "rating": [(str(n), Q(rating_avg__gte=n)) for n in RATING_STEPS],
        "duration": [(v, _duration_q(v)) for v, _label, _lo, _hi in DURATIONS],
    }
    aggregates = {"total": Count("pk", filter=_all(conditions)) if conditions else Count("pk")}
    for facet, options in values.items():
        others = _all(conditions, skip=facet)
        for n, (_value, condition) in enumerate(options):
            aggregates[f"{facet}__{n}"] = Count("pk", filter=others & condition)
    counts = matched.order_by().aggregate(**aggregates)
    out = {"total": counts["total"]}
    for facet, options in values.items():
        for n, (value, _condition) in enumerate(options):
            out[f"{facet}:{value}"] = counts[f"{facet}__{n}"]
    return out


COUNTS_TTL_S = 60


def _cached_counts(matched: QuerySet, conditions: dict[str, Q], categories: list[Category], parts,
                   params: dict) -> dict[str, int]:
    """:func:`_counts`, cached under the index's generation (every index write starts a new one, so a cached
    count is never older than the index): a popular query's facets cost one cache read."""
    state = {name: str(params.get(name)) for name in FILTERS if params.get(name) not in (None, "")}
    digest = hashlib.sha256(repr((parts, sorted(state.items()), [c.pk for c in categories])).encode()).hexdigest()
    key = f"search:counts:{index_generation()}:{digest[:32]}"
    counts = cache.get(key)
    if counts is None:
        counts = _counts(matched, conditions, categories)
        cache.set(key, counts, COUNTS_TTL_S)
    return counts


def index_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = time.time_ns()
        cache.add(GENERATION_KEY, generation, None)
    return generation


def _facets(counts: dict[str, int], params: dict, category_id: int | None, categories: list[Category]) -> dict:
    out: dict[str, list[Facet]] = {
        "category": [Facet(c.slug, str(c), counts[f"category:{c.pk}"], c.pk == category_id)
                     for c in categories if counts[f"category:{c.pk}"]]}
    for name, choices in (("language", Course.Language.choices), ("level", Course.Level.choices)):
        out[name] = [Facet(value, str(label), counts[f"{name}:{value}"], params.get(name) == value)
                     for value, label in choices if counts[f"{name}:{value}"]]
    out["price"] = [Facet(value, str(label), counts[f"price:{value}"], params.get("price") == value)
                    for value, label in PRICES if value and counts[f"price:{value}"]]
    labels = dict(RATINGS)
    out["rating"] = [Facet(str(n), str(labels[str(n)]), counts[f"rating:{n}"], params.get("rating") == n)
                     for n in RATING_STEPS if counts[f"rating:{n}"]]
    out["duration"] = [Facet(v, str(label), counts[f"duration:{v}"], params.get("duration") == v)
                       for v, label, _lo, _hi in DURATIONS if counts[f"duration:{v}"]]
    return out


# --- typo correction -----------------------------------------------------------------------------------------------

def corrected_query(text: str) -> str:
    """``text`` with each Latin word the index does not know replaced by the most similar known word (trigram
    similarity as pg_trgm computes it, at least :data:`CORRECTION_MIN_SIMILARITY`, length within two); ``""``
    when nothing could be corrected."""
    words = set(latin_words(text))
    if not words:
        return ""
    known = set(SearchTerm.objects.filter(term__in=words).values_list("term", flat=True))
    replacements = {}
    for word in sorted(words - known):
        scored = [(similarity(word, c), c) for c in backends.similar_terms(word) if abs(len(c) - len(word)) <= 2]
        scored = [s for s in scored if s[0] >= CORRECTION_MIN_SIMILARITY]
        if scored:  # most similar; then the closest length; then alphabetical (the same on every backend)
            replacements[word] = min(scored, key=lambda s: (-s[0], abs(len(s[1]) - len(word)), s[1]))[1]
    return replace_words(text, replacements) if replacements else ""


# --- personal ranking ----------------------------------------------------------------------------------------------

def blend_weight() -> float:
    """The latest fitted weight of the personal score (``fit_search_blend``), else the default."""
    weight = cache.get(BLEND_CACHE_KEY)
    if weight is None:
        row = BlendWeight.objects.values_list("weight", flat=True).first()
        weight = DEFAULT_BLEND_WEIGHT if row is None else row
        cache.set(BLEND_CACHE_KEY, weight, 300)
    return weight


def personal_scores(user, course_ids: list[int]) -> dict[int, float]:
    """The active recommender's scores (0-1) of these courses for ``user`` (the ``search_personal_scores``
    hook); empty for anonymous visitors or without a recommender."""
    if user is None or not user.is_authenticated or not course_ids:
        return {}
    scores = hooks.first("search_personal_scores", user=user, course_ids=list(course_ids)) or {}
    return {int(k): min(max(float(v), 0.0), 1.0) for k, v in scores.items()}


def blend(top: list[tuple[int, float]], personal: dict[int, float], weight: float
          ) -> list[tuple[int, float, float | None]]:
    """``(course_id, relevance)`` in text order, re-ranked by ``(1 - weight) · relevance / best relevance +
    weight · personal score``; returns ``(course_id, normalised relevance, personal score or None)``."""
    best = max((r for _c, r in top), default=0.0) or 1.0
    rows = [(c, max(r, 0.0) / best, personal.get(c) if personal else None) for c, r in top]
    if not personal:
        return rows
    order = {c: n for n, (c, _r) in enumerate(top)}
    return sorted(rows, key=lambda row: (-((1 - weight) * row[1] + weight * (row[2] or 0.0)), order[row[0]]))


# --- search ------------------------------------------------------------------------------------------------------

def _courses(ids: list[int]) -> list[Course]:
    by_id = (Course.objects.select_related("storefront", "category")
             .annotate(avg_rating=F("search_document__rating_avg"), n_enrolled=F("search_document__enrolments"))
             .in_bulk(ids))
    return [by_id[i] for i in ids if i in by_id]


def search(params: dict, user=None, *, page_size: int = PAGE_SIZE, with_facets: bool = True) -> SearchResults:
    """One page of results for validated ``params`` (``forms.SearchForm.cleaned_data``)."""
    query = params.get("q") or ""
    page = params.get("page") or 1
    sort = params.get("sort") or "relevance"
    categories = list(Category.objects.order_by("name"))
    category_id = next((c.pk for c in categories if c.slug == params.get("category")), None)
    conditions = _conditions(params, category_id)
    docs = SearchDocument.objects.filter(published=True)
    parts = query_parts(query)
    matched = backends.match(docs, parts) if parts else docs
    counts = _cached_counts(matched, conditions, categories, parts, params)
    corrected = ""
    if parts and counts["total"] == 0:
        fixed_text = corrected_query(query)
        fixed = query_parts(fixed_text) if fixed_text else []
        if fixed:
            again = _cached_counts(backends.match(docs, fixed), conditions, categories, fixed, params)
            if again["total"]:
                matched, counts, corrected = backends.match(docs, fixed), again, fixed_text
    filtered = matched.filter(_all(conditions))
    total = counts["total"]
    results = SearchResults(courses=[], total=total, page=page, pages=max(1, -(-total // page_size)),
                            query=query, corrected=corrected)
    offset = (page - 1) * page_size
    if total == 0:
        ids: list[int] = []
    elif sort == "relevance" and parts:
        ordered = filtered.order_by("-relevance", *POPULAR_ORDER)
        top = list(ordered.values_list("course_id", "relevance")[:BLEND_DEPTH])
        personal = personal_scores(user, [c for c, _r in top])
        weight = blend_weight() if personal else None
        ranked = blend(top, personal, weight or 0.0)
        results.candidates, results.blend_weight = ranked, weight
        # the re-ranked top, then text order: the same set of courses either way, so pages never overlap
        end = offset + page_size
        ids = [c for c, _r, _p in ranked[offset:end]]
        if end > BLEND_DEPTH and total > BLEND_DEPTH:
            ids += list(ordered.values_list("course_id", flat=True)[max(offset, BLEND_DEPTH):end])
    else:
        order = SORT_ORDER.get(sort, POPULAR_ORDER)
        ids = list(filtered.order_by(*order).values_list("course_id", flat=True)[offset:offset + page_size])
    results.courses = _courses(ids) if ids else []
    if with_facets:
        results.facets = _facets(counts, params, category_id, categories)
    if total == 0:
        results.popular = popular_courses(limit=8)
    return results


def popular_courses(limit: int = 8) -> list[Course]:
    ids = list(SearchDocument.objects.filter(published=True).order_by(*POPULAR_ORDER)
               .values_list("course_id", flat=True)[:limit])
    return _courses(ids)


# --- suggestions ---------------------------------------------------------------------------------------------------

SUGGESTIONS = 8


def suggestions(text: str, limit: int = SUGGESTIONS) -> list[dict]:
    """Autocomplete: categories whose name starts a word with what was typed, then course titles matching it
    (the last word as a prefix), best first. ``{"label", "kind", "url"}``; the url is filled by the view."""
    text = text.strip()[:100]
    prefix = prefix_source(text)
    if not prefix:
        return []
    out: list[dict] = []
    for c in Category.objects.filter(Q(name__icontains=text) | Q(name_zh__icontains=text)).order_by("name")[:3]:
        out.append({"label": str(c), "kind": "category", "category": c.slug})
    parts = query_parts(text)
    if parts:
        # the last word as typed, as a prefix (not stemmed: "learni" must still find "learning")
        last = parts[-1]
        if len(last.terms) == 1 and last.terms[0] != prefix and prefix.isascii():
            parts = [*parts[:-1], QueryPart((prefix,))]
        docs = backends.match(SearchDocument.objects.filter(published=True), parts, prefix_last=True)
        for course_id, title in (docs.order_by("-relevance", *POPULAR_ORDER)
                                 .values_list("course_id", "course__title")[:limit - len(out)]):
            out.append({"label": title, "kind": "course", "course": course_id})
    return out


# --- wishlist ------------------------------------------------------------------------------------------------------

def saved_course_ids(user) -> set[int]:
    if user is None or not user.is_authenticated:
        return set()
    return set(SavedCourse.objects.filter(user=user).values_list("course_id", flat=True))


def wishlist(user) -> QuerySet[SavedCourse]:
    """The learner's saved courses, newest first (unpublished or moderator-hidden ones are kept but not shown)."""
    return (SavedCourse.objects.filter(user=user, course__in=Course.objects.published())
            .select_related("course__storefront", "course__category"))


# --- analytics -----------------------------------------------------------------------------------------------------

def top_queries(days: int = 30, limit: int = 20) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    return list(SearchLog.objects.filter(ts__gte=since).exclude(query="").values("query")
                .annotate(searches=Count("id"), zero=Count("id", filter=Q(results=0)),
                          clicks=Count("clicks", distinct=True))
                .order_by("-searches", "query")[:limit])


def zero_result_queries(days: int = 30, limit: int = 20) -> list[dict]:
    since = timezone.now() - timedelta(days=days)
    return list(SearchLog.objects.filter(ts__gte=since, results=0).exclude(query="").values("query")
                .annotate(searches=Count("id")).order_by("-searches", "query")[:limit])


def search_totals(days: int = 30) -> dict:
    since = timezone.now() - timedelta(days=days)
    return SearchLog.objects.filter(ts__gte=since).aggregate(
        searches=Count("id"), zero=Count("id", filter=Q(results=0)),
        learners=Count("user", distinct=True), clicked=Count("id", filter=Q(clicks__isnull=False), distinct=True))


def latest_blend() -> BlendWeight | None:
    return BlendWeight.objects.first()
