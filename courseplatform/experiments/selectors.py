"""Reads for experiments: which experiment and variant a visitor is in, results."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Min, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from courseplatform import hooks
from courseplatform.catalog.models import Enrollment, Storefront
from courseplatform.events import selectors as events

from . import stats
from .assignment import assign
from .models import Experiment, ExperimentStatus, Metric, Variant

_MISSING = object()
CACHE_S = 60
#: interaction types that mean "the visitor clicked through to a course" (course-page views are logged
#: server-side when a course page is shown; client click events tagged with the experiment count the same)
CLICK_TYPES = ("click", "view")
ENROLL_TYPES = ("enroll",)
#: an ``enroll`` row counts as an enrolment only when it is the server's record of a real catalog enrolment: the
#: learner's ``Enrollment`` in that course was created at most this long before the row's time (the server writes
#: its row right after creating the enrolment; see :func:`server_enrollers`)
ENROLMENT_MATCH = timedelta(seconds=60)
#: the experiment analysis uses rows received at most this long after their event time; a row that arrives later
#: (a client-sent event back-dated by up to 30 days) is ignored, so a verdict frozen at the horizon stays frozen
LATE_EVENT_GRACE = timedelta(hours=1)
#: default of the ``EXPERIMENTS_ATTRIBUTION_WINDOW`` setting: an analysed visitor's click-throughs and enrolments
#: count when they happen within this long after the visitor's first tagged row (see :func:`analysed_counts`)
DEFAULT_ATTRIBUTION_WINDOW = timedelta(days=7)


def attribution_window() -> timedelta:
    """How long after their first tagged row an analysed visitor's outcomes count (setting
    ``EXPERIMENTS_ATTRIBUTION_WINDOW``, a ``timedelta``; default :data:`DEFAULT_ATTRIBUTION_WINDOW`)."""
    return getattr(settings, "EXPERIMENTS_ATTRIBUTION_WINDOW", DEFAULT_ATTRIBUTION_WINDOW)


def _cache_key(storefront_id: int) -> str:
    return f"experiments:running:{storefront_id}"


#: [perf: events ingestion] the storefronts with a running experiment, for code that tags many events at once
RUNNING_STOREFRONTS_KEY = "experiments:running-storefronts"


def invalidate_running(storefront_id: int) -> None:
    cache.delete_many([_cache_key(storefront_id), RUNNING_STOREFRONTS_KEY])  # perf: and the global set


def running_storefront_ids(cache_reads: Mapping[str, object] | None = None) -> frozenset[int]:
    """[perf: events ingestion] Ids of the storefronts running an experiment (usually none), cached like
    :func:`running_experiment` and dropped by :func:`invalidate_running` whenever an experiment changes state.
    One cache read lets the events API skip every per-storefront lookup when no experiment runs; none when
    ``cache_reads`` holds the key (read ahead in the request's throttle round trip)."""
    ids = (cache_reads or {}).get(RUNNING_STOREFRONTS_KEY)
    if ids is None:
        ids = cache.get(RUNNING_STOREFRONTS_KEY)
    if ids is None:
        ids = sorted(Experiment.objects.filter(status=ExperimentStatus.RUNNING).exclude(kind__in=unit_kinds())
                     .values_list("storefront_id", flat=True).distinct())
        cache.set(RUNNING_STOREFRONTS_KEY, ids, CACHE_S)
    return frozenset(ids)


def unit_kinds() -> list[str]:
    """Slugs of the arm kinds whose units are not storefront visitors (they define ``units``, see
    :func:`analysed_counts`): their experiments tag no visitor's events and start no visitor session."""
    return [slug for slug, kind in arm_kinds().items() if getattr(kind, "units", None) is not None]


def running_experiment(storefront) -> Experiment | None:
    """The storefront's running experiment on its visitors (with its variants), cached for a minute; None also
    while an experiment of a :func:`unit_kinds` kind runs there."""
    memo = getattr(storefront, "_running_experiment", _MISSING)
    if memo is not _MISSING:
        return memo
    experiment_id = cache.get(_cache_key(storefront.pk))
    experiment = None
    if experiment_id != 0:
        experiment = (Experiment.objects.filter(storefront_id=storefront.pk, status=ExperimentStatus.RUNNING)
                      .exclude(kind__in=unit_kinds()).prefetch_related("variants").first())
        cache.set(_cache_key(storefront.pk), experiment.pk if experiment else 0, CACHE_S)
    storefront._running_experiment = experiment
    return experiment


def visitor_key(request) -> str:
    """``u:<id>`` for a signed-in visitor, ``s:<session key>`` for an anonymous one ("" when there is no
    session yet: ``services.visitor_start`` starts one, from a view, before the page renders)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    session = getattr(request, "session", None)
    return f"s:{session.session_key}" if session is not None and session.session_key else ""


def variant_for(experiment: Experiment, key: str) -> Variant:
    variants = sorted(experiment.variants.all(), key=lambda v: v.key)
    chosen = assign(experiment.pk, key, [(v.key, v.share) for v in variants])
    return next(v for v in variants if v.key == chosen)


def experiment_context(request, storefront) -> dict | None:
    """``{"experiment", "variant", "arm", "visitor", "tags"}`` for a visitor of a storefront with a
    running experiment, else None. ``tags`` is what to write on Interaction rows:
    ``{"experiment": "<id>", "variant": "<key>"}``. Memoised on the request."""
    if request is None or storefront is None:
        return None
    memo = request.__dict__.setdefault("_experiment_contexts", {})
    if storefront.pk in memo:
        return memo[storefront.pk]
    experiment = running_experiment(storefront)
    context = None
    if experiment is not None:
        key = visitor_key(request)
        if key:
            variant = variant_for(experiment, key)
            context = {"experiment": experiment, "variant": variant, "arm": variant.arm, "visitor": key,
                       "tags": {"experiment": experiment.tag, "variant": variant.key}}
    memo[storefront.pk] = context
    return context


def visitor_arm(request, storefront, kind: str) -> str | None:
    """The arm (``Variant.arm``) this visitor sees on ``storefront`` because a ``kind`` experiment runs there, or
    None: what a plugin applies in its own hooks (the theming plugin: the variant's palette). An anonymous
    visitor's session is started by the view before rendering (``services.visitor_start``), so the page, its
    covers and the logged exposure all agree on the variant."""
    context = experiment_context(request, storefront)
    if context is None or context["experiment"].kind != kind:
        return None
    return context["arm"]


def event_tags(*, user=None, session_key: str = "", courses: dict[int, int],
               cache_reads: Mapping[str, object] | None = None) -> dict[int, dict]:
    """The events tagger (``courseplatform.events.taggers``, registered in ``ExperimentsConfig.ready`` with
    ``reads=[RUNNING_STOREFRONTS_KEY]``): ``{course_id: {"experiment", "variant"}}`` for the courses
    (``{course_id: storefront_id}``) on storefronts running an experiment. One cached read first (usually no
    experiment runs anywhere), read ahead by the events API."""
    running = set(courses.values()) & running_storefront_ids(cache_reads)
    if not running:
        return {}
    by_storefront = {sid: experiment_tags(user=user, session_key=session_key, storefront=Storefront(pk=sid))
                     for sid in running}
    return {cid: by_storefront[sid] for cid, sid in courses.items() if by_storefront.get(sid)}


def experiment_tags(*, user=None, session_key: str = "", storefront) -> dict:
    """Tags for an event by this user / session on ``storefront`` (``{}`` when no experiment runs): for code
    that logs events outside a request, such as the events API."""
    experiment = running_experiment(storefront)
    if experiment is None:
        return {}
    key = f"u:{user.pk}" if user is not None and user.is_authenticated else (f"s:{session_key}" if session_key
                                                                              else "")
    if not key:
        return {}
    return {"experiment": experiment.tag, "variant": variant_for(experiment, key).key}


# --- results --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VariantResult:
    variant: Variant
    visitors: int
    clickers: int
    enrollers: int
    click_interval: tuple[float, float]
    enroll_interval: tuple[float, float]

    @property
    def click_rate(self) -> float:
        return self.clickers / self.visitors if self.visitors else 0.0

    @property
    def enroll_rate(self) -> float:
        return self.enrollers / self.visitors if self.visitors else 0.0

    # percentages for display
    @property
    def click_pct(self) -> float:
        return 100 * self.click_rate

    @property
    def enroll_pct(self) -> float:
        return 100 * self.enroll_rate

    @property
    def click_interval_pct(self) -> tuple[float, float]:
        return 100 * self.click_interval[0], 100 * self.click_interval[1]

    @property
    def enroll_interval_pct(self) -> tuple[float, float]:
        return 100 * self.enroll_interval[0], 100 * self.enroll_interval[1]


def _visitor(user_id: int | None, session_key: str) -> str:
    return f"u:{user_id}" if user_id else f"s:{session_key}"


def _tagged_rows(experiment: Experiment, *, prompt_only: bool = False):
    """The experiment's rows from an identifiable visitor (a learner, or an anonymous session); with
    ``prompt_only`` only rows received within :data:`LATE_EVENT_GRACE` of their event time."""
    rows = events.tagged(experiment.tag).filter(Q(user__isnull=False) | ~Q(session_key=""))
    if prompt_only:
        rows = rows.filter(received_at__lte=F("ts") + LATE_EVENT_GRACE)
    return rows


def server_enrollers(experiment: Experiment, rows=None) -> dict[str, set[str]]:
    """Per variant key, the visitors (``u:<id>``) with an enrolment the *server* recorded during the experiment.

    Experiment outcomes never trust client-sent ``enroll`` events (``POST /api/events`` accepts them from any
    client, and tags them with the visitor's variant). A tagged ``enroll`` row counts only when it matches a real
    catalog :class:`~courseplatform.catalog.models.Enrollment`: same learner and course, created no earlier than
    the experiment's start, and no more than :data:`ENROLMENT_MATCH` before the row's time (``catalog.services
    .enroll`` writes its row just after creating the enrolment, tagged by :func:`event_tags`). Anonymous sessions cannot enrol, so their ``enroll`` rows never count. A client event can therefore only
    repeat an enrolment that really happened, by the same learner in the same variant, which counts once anyway.
    """
    return {variant: set(times) for variant, times in _server_enrolments(experiment, rows).items()}


def _server_enrolments(experiment: Experiment, rows=None) -> dict[str, dict[str, datetime]]:
    """Per variant key, ``{visitor: time of their first counted enroll row}`` (the rule of
    :func:`server_enrollers`)."""
    rows = _tagged_rows(experiment) if rows is None else rows
    enrol_rows = list(rows.filter(type__in=ENROLL_TYPES, user__isnull=False)
                      .values_list("variant", "user_id", "course_id", "ts"))
    out: dict[str, dict[str, datetime]] = defaultdict(dict)
    if not enrol_rows:
        return out
    learners = {u for _v, u, _c, _t in enrol_rows}
    courses = {c for _v, _u, c, _t in enrol_rows}
    created = {(learner, course): when for learner, course, when in Enrollment.objects.filter(
        learner_id__in=learners, course_id__in=courses).values_list("learner_id", "course_id", "created_at")}
    start = experiment.started_at
    for variant, user_id, course_id, ts in enrol_rows:
        when = created.get((user_id, course_id))
        if when is None or (start is not None and when < start):
            continue
        if when <= ts <= when + ENROLMENT_MATCH:
            key, seen = _visitor(user_id, ""), out[variant]
            seen[key] = min(ts, seen.get(key, ts))
    return out


def _first_seen(rows) -> dict[str, list[tuple[datetime, str]]]:
    """Per variant key, ``(first event time, visitor)`` of each visitor, earliest first (ties by visitor)."""
    first: dict[str, dict[str, datetime]] = defaultdict(dict)
    for r in rows.values("variant", "user_id", "session_key").annotate(first=Min("ts")).order_by():
        key = _visitor(r["user_id"], r["session_key"])
        seen = first[r["variant"]]
        if key not in seen or r["first"] < seen[key]:
            seen[key] = r["first"]
    return {variant: sorted((t, key) for key, t in seen.items()) for variant, seen in first.items()}


def _distinct_visitors(condition: Q | None = None) -> Count:
    """SQL count of distinct visitors (``u:<user>``, else ``s:<session>``) among rows matching ``condition``."""
    users = Q(user__isnull=False) if condition is None else condition & Q(user__isnull=False)
    sessions = Q(user__isnull=True) if condition is None else condition & Q(user__isnull=True)
    return Count("user", distinct=True, filter=users) + Count("session_key", distinct=True, filter=sessions)


def visitor_counts(experiment: Experiment) -> dict[str, dict[str, int]]:
    """Per variant key, over all the experiment's data: distinct ``visitors`` (any tagged row), ``clickers`` (a
    tagged ``click`` or ``view``) and ``enrollers`` (an enrolment the server recorded, see
    :func:`server_enrollers`).

    Each visitor (a learner, or an anonymous session) counts once per metric however many rows they left.
    Visitors and clickers are counted by one SQL aggregate; only the enroll rows are matched in Python. The
    verdict does not use these totals but :func:`analysed_counts` (the fixed horizon).
    """
    rows = _tagged_rows(experiment)
    totals = (rows.values("variant").annotate(visitors=_distinct_visitors(),
                                              clickers=_distinct_visitors(Q(type__in=CLICK_TYPES)))
              .order_by("variant"))
    enrollers = server_enrollers(experiment, rows)  # learners with a tagged row: already among the visitors
    return {t["variant"]: {"visitors": t["visitors"], "clickers": t["clickers"],
                           "enrollers": len(enrollers.get(t["variant"], ()))} for t in totals}


def _first_outcomes(rows, types) -> dict[str, dict[str, datetime]]:
    """Per variant key, ``{visitor: time of their first row of one of these types}``."""
    out: dict[str, dict[str, datetime]] = defaultdict(dict)
    for r in rows.filter(type__in=types).values("variant", "user_id", "session_key").annotate(
            first=Min("ts")).order_by():
        key, seen = _visitor(r["user_id"], r["session_key"]), out[r["variant"]]
        seen[key] = min(r["first"], seen.get(key, r["first"]))
    return out


def _windowed_counts(rows, cohort: dict[str, dict[str, datetime]], experiment: Experiment,
                     window: timedelta) -> dict[str, dict[str, int]]:
    """Counts for ``cohort`` (per variant, ``{visitor: first seen}``): a visitor is a clicker / enroller when their
    first click-through / counted enrolment is within ``window`` after they were first seen."""
    clicks = _first_outcomes(rows, CLICK_TYPES)
    enrolments = _server_enrolments(experiment, rows)

    def within(outcomes: dict[str, datetime], members: dict[str, datetime]) -> int:
        return sum(1 for key, when in outcomes.items() if key in members and when <= members[key] + window)

    return {variant: {"visitors": len(members), "clickers": within(clicks.get(variant, {}), members),
                      "enrollers": within(enrolments.get(variant, {}), members)}
            for variant, members in sorted(cohort.items())}


@dataclass(frozen=True)
class Horizon:
    """Where the experiment stands against its planned sample (``planned`` visitors per variant)."""

    planned: int
    reached_at: datetime | None  # when the last variant got its ``planned``-th visitor; None before that
    seen: dict  # variant key -> visitors seen so far (all of them, also those after the horizon)
    window: timedelta = DEFAULT_ATTRIBUTION_WINDOW  # the attribution window the counts were made with

    @property
    def reached(self) -> bool:
        return self.reached_at is not None

    @property
    def final_at(self) -> datetime | None:
        """When the analysed counts can no longer change: the horizon plus the attribution window, plus
        :data:`LATE_EVENT_GRACE` for rows still in transit; None before the horizon."""
        return self.reached_at + self.window + LATE_EVENT_GRACE if self.reached_at else None

    @property
    def final(self) -> bool:
        return self.final_at is not None and timezone.now() >= self.final_at


def analysed_counts(experiment: Experiment) -> tuple[dict[str, dict[str, int]], Horizon]:
    """The counts the verdict is computed from, frozen once the fixed horizon is reached.

    Rows received more than :data:`LATE_EVENT_GRACE` after their event time are left out. Each analysed visitor's
    click-through and enrolment count only when they happen within the attribution window
    (:func:`attribution_window`) after that visitor's first tagged row, so every visitor gets the same time to
    convert whichever variant they are in and whenever they arrived. Until every variant has
    ``min_sample_per_variant`` visitors, all visitors so far are analysed (and the verdict says "keep
    collecting"). From then on only each variant's **first** ``min_sample_per_variant`` visitors (ordered by
    their first tagged row's time) are analysed; the horizon is the moment the last variant reached its planned
    sample. Later visitors change nothing, and once ``Horizon.final_at`` (horizon + window + grace) has passed,
    nothing else can either: re-testing on the accumulating data would be peeking all over again. Experiments
    without a planned sample (0) are analysed on all their data.

    An arm kind whose units are not storefront visitors defines ``units(experiment) -> (exposed, outcomes)``
    (each per variant ``{unit: time}``): its exposed units are the cohort, in order of exposure, and a unit's
    outcome within the window counts in ``enrollers`` (the kind's ``outcome_label`` names it on the pages).
    """
    kind = arm_kind(experiment.kind)
    units = getattr(kind, "units", None)
    if units is not None:  # the arm kind's own units (e.g. stalled learners) instead of storefront visitors
        exposed, outcomes = units(experiment)
        first_seen = {variant: sorted((t, unit) for unit, t in seen.items()) for variant, seen in exposed.items()}
    else:
        rows = _tagged_rows(experiment, prompt_only=True)
        first_seen = _first_seen(rows)
    keys = [v.key for v in experiment.variants.all()]
    planned = int(experiment.min_sample_per_variant or 0)
    seen = {key: len(first_seen.get(key, [])) for key in keys}
    reached_at = None
    if planned > 0 and keys and all(seen[key] >= planned for key in keys):
        reached_at = max(first_seen[key][planned - 1][0] for key in keys)
        first_seen = {key: first_seen[key][:planned] for key in keys}
    cohort = {variant: {visitor: t for t, visitor in visitors} for variant, visitors in first_seen.items()}
    window = attribution_window()
    if units is not None:
        counts = {variant: {"visitors": len(members), "clickers": 0, "enrollers": sum(
            1 for unit, when in outcomes.get(variant, {}).items() if unit in members and when <= members[unit] + window)}
            for variant, members in sorted(cohort.items())}
    else:
        counts = _windowed_counts(rows, cohort, experiment, window)
    return counts, Horizon(
        planned=planned, reached_at=reached_at, seen=seen, window=window)


def _cached_analysed_counts(experiment: Experiment) -> tuple[dict[str, dict[str, int]], Horizon]:
    """:func:`analysed_counts`, cached for :data:`CACHE_S` under the experiment, its planned sample and its
    newest tagged row, so the experiment page and its chart (a second request) compute it once; any new row
    changes the key. The counts depend on the rows only (``Horizon.final`` is evaluated when read)."""
    if getattr(arm_kind(experiment.kind), "units", None) is not None:
        return analysed_counts(experiment)  # its units are not interaction rows: the row-based key cannot see them
    last = events.last_tagged_id(experiment.tag)
    key = (f"experiments:analysed:{experiment.pk}:{experiment.min_sample_per_variant}:{last}:"
           f"{attribution_window().total_seconds()}")
    value = cache.get(key)
    if value is None:
        value = analysed_counts(experiment)
        cache.set(key, value, CACHE_S)
    return value


def experiment_results(experiment: Experiment) -> dict:
    """Per-variant results, the primary-metric comparison and the fixed-horizon verdict.

    Once the planned sample is reached the figures are those of each variant's first planned visitors, each with
    the outcomes of their attribution window (:func:`analysed_counts`). Until that window has closed for all of
    them (``Horizon.final``) the verdict's code is ``pending_attribution`` and it names no winner; from then on
    it no longer moves as data keep arriving. The counts are cached briefly (:func:`_cached_analysed_counts`).
    """
    counts, horizon = _cached_analysed_counts(experiment)
    variants = list(experiment.variants.order_by("key"))
    results = []
    for variant in variants:
        c = counts.get(variant.key, {"visitors": 0, "clickers": 0, "enrollers": 0})
        results.append(VariantResult(
            variant=variant, visitors=c["visitors"], clickers=c["clickers"], enrollers=c["enrollers"],
            click_interval=stats.wilson_interval(c["clickers"], c["visitors"]),
            enroll_interval=stats.wilson_interval(c["enrollers"], c["visitors"])))
    verdict = None
    if len(results) >= 2:
        units_kind = experiment.kind in unit_kinds()  # its one outcome is in ``enrollers`` (see analysed_counts)
        field = "clickers" if experiment.primary_metric == Metric.CLICK and not units_kind else "enrollers"
        arms = [stats.Arm(r.variant.key, r.visitors, getattr(r, field)) for r in results]
        verdict = stats.verdict(arms, experiment.min_sample_per_variant)
        if verdict.code != "keep_collecting" and horizon.reached and not horizon.final:
            verdict = replace(verdict, code="pending_attribution", winner=None)
    return {"variants": results, "verdict": verdict, "verdict_text": verdict_text(experiment, verdict, horizon),
            "horizon": horizon}


def verdict_text(experiment: Experiment, verdict, horizon: Horizon | None = None) -> str:
    """The verdict in plain language."""
    if verdict is None:
        return _("Add at least two variants to compare.")
    kind = arm_kind(experiment.kind)
    outcome = getattr(kind, "outcome_label", None) if getattr(kind, "units", None) is not None else None
    metric = str(outcome).lower() if outcome else Metric(experiment.primary_metric).label.lower()
    if verdict.code == "keep_collecting":
        return _("Keep collecting: every variant needs %(planned)s visitors before the test can decide "
                 "(the smallest has %(have)s). Results before then are shown but not acted on, because "
                 "stopping at the first good-looking number would declare false winners.") % {
            "planned": formats.number_format(verdict.planned_per_variant),
            "have": formats.number_format(verdict.smallest_sample)}
    if verdict.code == "pending_attribution":
        return _("Waiting for the attribution window: every variant has its planned sample, but the last "
                 "visitors still have until %(when)s to click through or enrol. The verdict is decided then.") % {
            "when": formats.date_format(timezone.localtime(horizon.final_at), "SHORT_DATETIME_FORMAT")}
    if verdict.code == "winner":
        comparison = min(verdict.comparisons, key=lambda c: c.test.p_value)
        return _("Variant %(winner)s wins on %(metric)s: the difference is too large to be chance "
                 "(p = %(p)s, below %(alpha)s). You can promote it.") % {
            "winner": verdict.winner, "metric": metric, "p": f"{comparison.test.p_value:.3g}",
            "alpha": f"{verdict.alpha:.3g}"}
    if outcome:
        return _("No clear winner on %(metric)s: with the planned sample the variants do alike (no difference "
                 "of the planned size).") % {"metric": metric}
    return _("No clear winner on %(metric)s: with the planned sample the palettes convert alike (no "
             "difference of the planned size). Keep the one you prefer.") % {"metric": metric}


def experiments_for(storefront):
    return Experiment.objects.filter(storefront=storefront).prefetch_related("variants")


def arm_kinds() -> dict:
    """The arm kinds plugins contribute (``experiment_arm_kinds`` hook), by slug, in registration order."""
    return {kind.slug: kind for kind in hooks.call_flat("experiment_arm_kinds")}


def arm_kind(slug: str):
    """The registered arm kind ``slug``, or None (its plugin is not installed)."""
    return arm_kinds().get(slug)


def arm_choices(storefront) -> list[tuple[str, str]]:
    """What can be tested on ``storefront`` now, over every arm kind: ``("<kind>:<arm>", label)``."""
    return [(f"{kind.slug}:{ref}", label) for kind in arm_kinds().values() for ref, label in kind.choices(storefront)]
