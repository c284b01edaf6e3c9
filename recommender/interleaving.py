"""Reads for online interleaving experiments: the interleaved home feed, the events tagger and the analysis.

While an :class:`~recommender.models.InterleavingExperiment` runs, a learner's home feed is the team-draft merge
(:func:`recommender.engine.interleaving.team_draft`) of version A's and version B's rankings, with a random
generator seeded by (experiment, learner): a reload shows the same list as long as neither ranking changed.
The home panel logs each shown course with ``experiment = "ilv-<id>"`` and ``variant`` = the team that placed
it (``courseplatform.events`` writes it after the response). Later clicks and enrolments of that course by that
learner are tagged with the same team by :func:`event_tags` (an events tagger); completions are logged untagged
by the catalogue, so the analysis credits them through the learner's tagged impression of the course.

Per learner, the team with more credited outcomes wins; the engine's sign test over learners says when the
preference is real. Nothing here writes (the cache aside).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from django.core.cache import cache
from django.utils.translation import gettext as _

from courseplatform.catalog.models import Course
from courseplatform.events import selectors as events
from courseplatform.events.models import EventType

from . import cache as keys
from . import selectors
from .engine.interleaving import A, B, Summary, summarise, team_draft
from .models import InterleavingExperiment

#: outcomes credited to a team, in the order the staff page lists them; the verdict is on enrolments
OUTCOMES = (EventType.CLICK, EventType.ENROLL, EventType.COMPLETE)
VERDICT_OUTCOME = EventType.ENROLL
#: a difference is called when the sign test's two-sided p-value is below this
ALPHA = 0.05


def running_info() -> dict:
    """``{"id", "a", "b", "a_created", "b_created"}`` of the running experiment (``id`` None when none runs),
    cached briefly and dropped by the start and stop services."""
    info = cache.get(keys.INTERLEAVING_KEY)
    if info is None:
        row = (InterleavingExperiment.objects.filter(status=InterleavingExperiment.Status.RUNNING)
               .values("id", "version_a_id", "version_b_id", "version_a__created_at", "version_b__created_at")
               .first())
        info = {"id": None} if row is None else {
            "id": row["id"], "a": row["version_a_id"], "b": row["version_b_id"],
            "a_created": row["version_a__created_at"].timestamp(),
            "b_created": row["version_b__created_at"].timestamp()}
        cache.set(keys.INTERLEAVING_KEY, info, keys.ACTIVE_TTL_S)
    return info


def running_experiment() -> InterleavingExperiment | None:
    return (InterleavingExperiment.objects.filter(status=InterleavingExperiment.Status.RUNNING)
            .select_related("version_a", "version_b").first())


def experiments(limit: int = 10):
    return InterleavingExperiment.objects.select_related("version_a", "version_b", "started_by")[:limit]


def tag_of(experiment_id: int) -> str:
    return f"ilv-{experiment_id}"


def _rankings(user, info: dict) -> tuple[list, list, set[int]]:
    """Both versions' ranked candidates for ``user`` and the courses they own (cached with the experiment id,
    dropped with the learner's feed entry when they act)."""
    key = keys.interleaving_feed_key(user.pk)
    entry = cache.get(key)
    if isinstance(entry, dict) and entry.get("exp") == info["id"]:
        return entry["a"], entry["b"], set(entry["owned"])
    owned = selectors.owned_course_ids(user)
    ranked_a = selectors.rank_candidates(user, {"id": info["a"], "created_at": info["a_created"]}, owned)
    ranked_b = selectors.rank_candidates(user, {"id": info["b"], "created_at": info["b_created"]}, owned)
    cache.set(key, {"exp": info["id"], "a": ranked_a, "b": ranked_b, "owned": sorted(owned)}, keys.FEED_TTL_S)
    return ranked_a, ranked_b, owned


def interleaved_feed(user, limit: int) -> tuple[list[dict], dict[int, dict[str, str]]] | None:
    """The learner's interleaved feed while an experiment runs (``None`` otherwise, or for anonymous
    visitors): ``([{"course", "reason", "reason_code", "team"}], {course_id: {"experiment", "variant"}})``.

    The merged order is the experiment's (no diversity re-ranking: positions are what the teams earned)."""
    info = running_info()
    if info["id"] is None or user is None or not user.is_authenticated:
        return None
    ranked_a, ranked_b, owned = _rankings(user, info)
    ids = {c for c, _r, _a in ranked_a} | {c for c, _r, _a in ranked_b}
    courses = (Course.objects.published().select_related("storefront", "category").defer("description")
               .in_bulk(list(ids)))
    visible = {c for c, course in courses.items() if c not in owned and course.storefront.owner_id != user.pk}
    order_a = [c for c, _r, _a in ranked_a if c in visible]
    order_b = [c for c, _r, _a in ranked_b if c in visible]
    rng = np.random.default_rng([info["id"], user.pk])  # deterministic per learner and experiment
    merged = team_draft(order_a, order_b, limit, rng)
    reason_of = {A: {c: (r, a) for c, r, a in ranked_a}, B: {c: (r, a) for c, r, a in ranked_b}}
    anchors = {a for team in (A, B) for c, (_r, a) in reason_of[team].items() if a and c in merged.items}
    titles = dict(Course.objects.filter(pk__in=anchors | set(merged.items)).values_list("id", "title"))
    categories = {c.category_id: str(c.category) for c in courses.values()}
    tag = tag_of(info["id"])
    items, tags = [], {}
    for course_id, team in zip(merged.items, merged.teams, strict=True):
        course = courses[course_id]
        code, arg = reason_of[team][course_id]
        items.append({"course": course, "reason_code": code, "team": team,
                      "reason": selectors.reason_text(code, arg, course, titles, owned, categories)})
        tags[course_id] = {"experiment": tag, "variant": team}
    return items, tags


def event_tags(*, user=None, session_key: str = "", courses: dict[int, int]) -> dict[int, dict[str, str]]:
    """The events tagger (registered in ``RecommenderConfig.ready``): an event of a learner on a course their
    interleaved feed showed carries the experiment and the team that placed it (their latest logged
    impression of it in this experiment)."""
    if user is None or not user.is_authenticated or not courses:
        return {}  # before the cache read: anonymous batches need none
    info = running_info()
    if info["id"] is None:
        return {}
    tag = tag_of(info["id"])
    rows = (events.tagged(tag).filter(user=user, type=EventType.IMPRESSION, course_id__in=list(courses))
            .order_by("id").values_list("course_id", "variant"))
    return {course_id: {"experiment": tag, "variant": team} for course_id, team in rows}


# --- analysis ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OutcomeResult:
    outcome: str
    label: str
    credit_a: int  # outcomes credited to version A's team (distinct learner-course pairs)
    credit_b: int
    summary: Summary  # per learner: wins of A, of B, ties; sign test


@dataclass(frozen=True)
class Results:
    learners: int  # learners shown an interleaved feed
    outcomes: list[OutcomeResult]
    verdict: str  # "A", "B" or "" (no significant difference yet)
    verdict_text: str


def results(experiment: InterleavingExperiment) -> Results:
    """Per-team credit, per-learner wins and the sign test for each outcome, and the verdict (on enrolments).

    Outcomes count from the experiment's start to its stop (or now), once per learner, course and type."""
    tag = experiment.tag
    rows = events.tagged(tag).filter(user__isnull=False, ts__gte=experiment.started_at)
    if experiment.stopped_at:
        rows = rows.filter(ts__lte=experiment.stopped_at)
    team_of: dict[tuple[int, int], str] = {}
    for user_id, course_id, team in (rows.filter(type=EventType.IMPRESSION).order_by("id")
                                     .values_list("user_id", "course_id", "variant")):
        team_of[(user_id, course_id)] = team
    learners = {u for u, _c in team_of}
    credited: dict[str, dict[int, dict[str, set[int]]]] = {
        str(t): defaultdict(lambda: {A: set(), B: set()}) for t in OUTCOMES}
    tagged_outcomes = rows.filter(type__in=[EventType.CLICK, EventType.ENROLL]).values_list(
        "user_id", "course_id", "type", "variant")
    for user_id, course_id, etype, team in tagged_outcomes:
        if team in (A, B):
            credited[etype][user_id][team].add(course_id)
    # completions are logged untagged: credit the team whose placement the learner saw
    until = experiment.stopped_at or datetime.now(tz=UTC)
    completions = events.learner_events(EventType.COMPLETE, user_ids=learners, since=experiment.started_at,
                                        until=until) if learners else []
    for user_id, course_id in completions:
        team = team_of.get((user_id, course_id))
        if team in (A, B):
            credited[EventType.COMPLETE][user_id][team].add(course_id)
    labels = {EventType.CLICK: _("Clicks"), EventType.ENROLL: _("Enrolments"), EventType.COMPLETE: _("Completions")}
    out = []
    for outcome in OUTCOMES:
        per_learner = credited[str(outcome)]
        winners = [A if len(c[A]) > len(c[B]) else B if len(c[B]) > len(c[A]) else None
                   for c in per_learner.values()]
        winners += [None] * len(learners - set(per_learner))  # shown, no outcome: a tie
        out.append(OutcomeResult(str(outcome), str(labels[outcome]),
                                 sum(len(c[A]) for c in per_learner.values()),
                                 sum(len(c[B]) for c in per_learner.values()), summarise(winners)))
    primary = next(r for r in out if r.outcome == VERDICT_OUTCOME)
    verdict, text = _verdict(experiment, primary.summary)
    return Results(len(learners), out, verdict, text)


def _verdict(experiment: InterleavingExperiment, summary: Summary) -> tuple[str, str]:
    decided = summary.wins_a + summary.wins_b
    if decided == 0:
        return "", _("No learner has enrolled in an interleaved course yet.")
    if summary.p_value < ALPHA:
        winner = A if summary.wins_a > summary.wins_b else B
        version = experiment.version_a_id if winner == A else experiment.version_b_id
        return winner, _("Version #%(id)d wins on enrolments (sign test p = %(p)s).") % {
            "id": version, "p": f"{summary.p_value:.3g}"}
    return "", _("No significant difference in enrolments yet (sign test p = %(p)s, %(n)d learners decided).") % {
        "p": f"{summary.p_value:.3g}", "n": decided}
