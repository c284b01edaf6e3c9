"""The training service: interactions -> engine -> immutable artifact -> holdout metrics -> materialised feeds
-> activation when not worse than the active version (or forced).

The activation gate is like-for-like: the active version's algorithm and parameters are refitted on the very
split the new model is scored on, and the two scores are compared (``metrics["gate"]``), never the new score
against a number the active version earned on an older split. Each version also carries an engagement report
(``metrics["engagement"]``): P(enrol | impression) fitted on the logged feed impressions, with ROC-AUC and PR-AUC
on a time-based holdout (:func:`engagement_report`).

Runs on a worker (the ``gpu`` queue). It imports the engine (and with it torch) inside its functions only, so
the web tier, which imports :mod:`recommender.services`, never loads torch.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import math
import os
import shutil
import time
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np
import scipy.sparse as sp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from courseplatform.catalog.models import Course, Enrollment
from courseplatform.events import selectors as events
from courseplatform.experiments.models import ExperimentStatus, Variant
from courseplatform.learning.selectors import progress_timelines

from . import artifacts, services
from .content import build_index
from .experiment_arms import KIND as ARMS_KIND
from .history import learner_history, vetted
from .models import CourseSimilarity, FeedItem, InterleavingExperiment, ModelVersion, ReasonCode, TrainingRun

logger = logging.getLogger(__name__)

N_CANDIDATES = 50  # materialised candidates per learner
N_NEIGHBOURS = 30  # course neighbours kept per course and kind
USER_CHUNK = 256


class TrainingError(RuntimeError):
    """Training cannot produce a model (for instance: no interactions yet)."""


def _finite(metrics: dict) -> dict:
    return {k: (round(float(v), 6) if isinstance(v, int | float) and math.isfinite(v) else None)
            for k, v in metrics.items()}


#: cheap event types (a client reports them, or one click makes them): counted at RECOMMENDER_UNVERIFIED_WEIGHT
#: for learners not yet trusted, under their own type name so the engine's weight table scales them
CHEAP_TYPES = ("click", "view", "wishlist")
UNVERIFIED = ":unverified"


def training_weights() -> dict[str, float]:
    """Event weights of training: the engine's defaults plus the down-weighted ``<type>:unverified`` types."""
    from .engine import DEFAULT_EVENT_WEIGHTS

    factor = float(settings.RECOMMENDER_UNVERIFIED_WEIGHT)
    return {**DEFAULT_EVENT_WEIGHTS, **{f"{t}{UNVERIFIED}": DEFAULT_EVENT_WEIGHTS[t] * factor for t in CHEAP_TYPES}}


def trusted_learners() -> set[int]:
    """Learners whose cheap events count fully: an account older than RECOMMENDER_TRUST_AFTER_DAYS with at least
    one enrolment (a server-verified outcome). Self-registered throwaway accounts are neither."""
    cutoff = timezone.now() - dt.timedelta(days=float(settings.RECOMMENDER_TRUST_AFTER_DAYS))
    enrolled = set(Enrollment.objects.values_list("learner_id", flat=True).distinct())
    old = set(get_user_model().objects.filter(date_joined__lte=cutoff).values_list("pk", flat=True))
    return enrolled & old


def _interaction_rows():
    """The learners' history, streamed into columns (``history.py``: an ``EventLog``, memory-bounded); the cheap
    events of untrusted learners are renamed ``<type>:unverified`` (a small weight), and dropped on courses no
    trusted event vouches for (an enrolment, completion or rating by anyone, a cheap event of a trusted learner):
    throwaway accounts cannot lift a course nobody real has taken."""
    return vetted(learner_history(), trusted=trusted_learners(), cheap_types=CHEAP_TYPES, suffix=UNVERIFIED)


def _discard(version: ModelVersion) -> None:
    """Remove a half-written version (a previous delivery died before finishing it)."""
    if version.is_active:
        return
    if version.artifact_dir and os.path.isabs(version.artifact_dir):  # saved before artifacts used a storage
        shutil.rmtree(version.artifact_dir, ignore_errors=True)
    elif version.artifact_dir:
        artifacts.delete(version.artifact_dir)
    version.delete()


def training_run_execute(run: TrainingRun, *, device: str, progress: Callable[[float], None] | None = None
                         ) -> tuple[ModelVersion, bool, str]:
    """Train, save, evaluate, materialise and (maybe) activate. Returns (version, activated, note).

    Idempotent for one run: a finished version of this run is reused; a half-written one is discarded first.
    """
    tick = progress or (lambda fraction: None)
    if run.version_id:
        previous = ModelVersion.objects.filter(pk=run.version_id).first()
        if previous is not None and previous.is_servable:
            activated, note = _maybe_activate(previous, run)
            return previous, activated, note
        if previous is not None:
            _discard(previous)
    version = train_version(
        algorithm=run.algorithm or "", params=run.params or {}, device=device, progress=tick,
        on_created=lambda v: TrainingRun.objects.filter(pk=run.pk).update(version=v),
    )
    run.version = version
    activated, note = _maybe_activate(version, run)
    prune_feeds(int(settings.RECOMMENDER_KEEP_FEEDS))
    tick(1.0)
    return version, activated, note


def _maybe_activate(version: ModelVersion, run: TrainingRun) -> tuple[bool, str]:
    if version.is_active:
        return True, f"version #{version.pk} is active"
    active = ModelVersion.objects.filter(is_active=True).first()
    ok, why = services.version_is_not_worse(version, active)
    if ok or run.forced:
        note = ("forced: " if not ok else "") + why
        services.version_activate(version=version, actor=run.requested_by if run.forced else None, note=note)
        return True, f"activated version #{version.pk}: {note}"
    return False, f"kept version #{active.pk if active else '-'} active: {why}"


def item_features(data):
    """Side information for the engine: one binary column per category, storefront and language of the courses
    (rows in ``data.item_ids`` order); ``None`` when no course is known."""
    ids = [int(k) for k in data.item_ids]
    info = {cid: (cat, shop, lang) for cid, cat, shop, lang in
            Course.objects.filter(pk__in=ids).values_list("id", "category_id", "storefront_id", "language")}
    columns: dict[str, int] = {}
    rows, cols = [], []
    for i, cid in enumerate(ids):
        for key, value in zip(("category", "storefront", "language"), info.get(cid, ()), strict=False):
            if value is not None and value != "":
                rows.append(i)
                cols.append(columns.setdefault(f"{key}:{value}", len(columns)))
    if not columns:
        return None
    return sp.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(ids), len(columns)))


def train_version(*, algorithm: str = "", params: dict | None = None, device: str = "cpu",
                  progress: Callable[[float], None] | None = None,
                  on_created: Callable[[ModelVersion], object] | None = None) -> ModelVersion:
    """Fit a model on every learner's interactions and write a complete (not yet active) version."""
    from . import engine
    from .engine.evaluation import leave_last_out

    tick = progress or (lambda fraction: None)
    started = time.perf_counter()
    # no algorithm and no parameters: the platform's training, settings selected on this run's own data
    select = not algorithm and not params
    algorithm = algorithm or engine.DEFAULT_MODEL
    if algorithm not in engine.MODEL_NAMES:
        raise TrainingError(f"unknown algorithm {algorithm!r}")
    base = dict(engine.DEFAULT_PARAMS) if algorithm == engine.DEFAULT_MODEL else {}
    params = {**base, **(params or {})}
    rows = _interaction_rows()
    if not len(rows):
        raise TrainingError("no learner interactions to train on yet")
    half_life = settings.RECOMMENDER_HALF_LIFE_DAYS
    data = engine.build_interactions(rows, training_weights(), half_life_days=half_life)
    if len(data) == 0:
        raise TrainingError("no positive interactions to train on yet")
    features = item_features(data)
    selection = None
    if select:  # validation = each learner's latest item of *all* data: for the served model only
        model, sel = engine.train_default(data, features, device=device)
        params, selection = dict(sel.params), sel.as_dict()
    else:
        model = engine.fit_model(algorithm, params, data, features, device=device)
    tick(0.1)
    # holdout metrics: leave the latest course of each learner out, fit on the rest (with its own selection,
    # carved from the rest, so the holdout is never seen)
    split = leave_last_out(data)
    train_csr = split.train.to_csr()
    if select:
        holdout = engine.train_default(split.train, features, device=device)[0]
    else:
        holdout = engine.fit_model(algorithm, params, split.train, features, device=device)
    tick(0.25)
    metrics = _finite(engine.evaluate(holdout, train_csr, split.test, ks=(10, 20)).metrics)
    tick(0.3)
    # like-for-like gate: the active version refitted on (or, same algorithm + parameters, its saved model scored
    # on) this very split
    gate = incumbent_on_split(ModelVersion.objects.filter(is_active=True).first(), algorithm, params, metrics,
                              split, train_csr, device, candidate_model=holdout)
    del holdout
    if gate is not None:
        metrics["gate"] = gate
    tick(0.38)
    metrics["engagement"] = engagement_report(algorithm, params, device, rows, half_life)
    if selection is not None:
        metrics["selection"] = selection
    tick(0.45)
    duration = time.perf_counter() - started
    tick(0.6)
    version = ModelVersion.objects.create(
        algorithm=algorithm, params=params, metrics=metrics, interaction_count=len(rows),
        user_count=data.n_users, item_count=data.n_items, device=device, duration_s=round(duration, 3),
        engine_version=engine.ENGINE_VERSION, known_course_ids=sorted(int(k) for k in data.item_ids),
    )
    if on_created:
        on_created(version)
    try:
        directory, sha256 = artifacts.save(model, version.pk, data)
        ModelVersion.objects.filter(pk=version.pk).update(artifact_dir=str(directory))
        version.artifact_dir = str(directory)
        tick(0.7)
        count = materialise(version, model, data)
    except Exception:
        _discard(version)
        raise
    version.sha256, version.feed_count = sha256, count
    version.save(update_fields=["sha256", "feed_count"])  # only now is the version servable
    tick(0.95)
    return version


def incumbent_on_split(active: ModelVersion | None, algorithm: str, params: dict, metrics: dict, split,
                       train_csr, device: str, candidate_model=None) -> dict | None:
    """The gate's two scores on one split (stored as ``metrics["gate"]``; ``None`` without an active version).

    * Another algorithm or other parameters: the active version's algorithm + parameters are refitted on the same
      training part and scored on the same test part (``incumbent_refit == "refitted"``).
    * The same algorithm and parameters: a refit would *be* the candidate (the engine is deterministic given a
      seed), so the comparison would always pass. The active version's **saved model** is scored instead
      (:func:`saved_model_on_split`, ``incumbent_refit == "saved model"``), on the test learners it knows whose
      held-out course it never trained on, and the candidate is re-scored on exactly those learners
      (``candidate`` is then that score, ``candidate_all`` the score on every test learner).

    When the refit or the load fails (say, an algorithm this engine no longer knows, or a missing artifact), or
    no test learner is comparable, ``incumbent`` is ``None`` (with ``incumbent_error`` saying why) and the gate
    falls back to the stored metrics (:func:`recommender.services.version_is_not_worse` says so in its note).
    """
    from . import engine

    if active is None:
        return None
    name = services.gate_metric()
    gate = {"metric": name, "split": "leave-last-out", "train_pairs": len(split.train),
            "test_pairs": len(split.test), "candidate": metrics.get(name), "incumbent": None,
            "incumbent_version": active.pk, "incumbent_algorithm": active.algorithm,
            "incumbent_params": dict(active.params or {}), "incumbent_stored": active.metric(name)}
    if active.algorithm == algorithm and dict(active.params or {}) == dict(params):
        gate["incumbent_refit"] = "saved model"
        try:
            if candidate_model is None:
                candidate_model = engine.make_model(algorithm, **params, device=device).fit(train_csr)
            new, old, users = saved_model_on_split(active, candidate_model, split, train_csr)
        except Exception as exc:  # noqa: BLE001 -- the gate then falls back to the stored metric, and says why
            logger.warning("could not score the saved model of active version #%s on the new split", active.pk,
                           exc_info=True)
            gate["incumbent_error"] = f"{type(exc).__name__}: {exc}"[:300]
            return gate
        gate["gate_users"] = users
        if users == 0:
            gate["incumbent_error"] = "no test learner known to the saved model with a course it did not train on"
            return gate
        gate["candidate_all"], gate["candidate"], gate["incumbent"] = metrics.get(name), new.get(name), old.get(name)
        return gate
    try:
        model = engine.fit_model(active.algorithm, dict(active.params or {}), split.train, item_features(split.train),
                                 device=device)
        scores = _finite(engine.evaluate(model, train_csr, split.test, ks=(10, 20)).metrics)
    except Exception as exc:  # noqa: BLE001 -- the gate then falls back to the stored metric, and says why
        logger.warning("could not refit active version #%s on the new split", active.pk, exc_info=True)
        gate["incumbent_error"] = f"{type(exc).__name__}: {exc}"[:300]
        return gate
    gate["incumbent"], gate["incumbent_refit"] = scores.get(name), "refitted"
    return gate


class _SavedModelOnSplit:
    """A saved model seen through the new split's index space (what :func:`engine.evaluate` needs).

    Learners are scored from the saved model's own user rows (mapped by learner id); courses it does not know get
    ``-inf`` (it cannot recommend them); what it filtered as seen stays filtered, and so do the learner's
    courses in the new training part (as for the candidate).
    """

    def __init__(self, model, user_map: dict[int, int], item_map, train_csr) -> None:
        self.model, self.user_map, self.item_map, self.train_csr = model, user_map, item_map, train_csr

    def score_users(self, user_indices, filter_seen: bool = True):
        users = np.asarray(user_indices, dtype=np.int64)
        out = np.full((users.size, self.train_csr.shape[1]), -np.inf, dtype=np.float32)
        if users.size == 0:
            return out
        old_users = np.asarray([self.user_map[int(u)] for u in users], dtype=np.int64)
        old = self.model.score_users(old_users, filter_seen=filter_seen)
        known = self.item_map >= 0
        out[:, known] = old[:, self.item_map[known]]
        if filter_seen:
            seen = self.train_csr[users]
            rows = np.repeat(np.arange(users.size), np.diff(seen.indptr))
            out[rows, seen.indices] = -np.inf
        return out


def saved_model_on_split(active: ModelVersion, candidate_model, split, train_csr) -> tuple[dict, dict, int]:
    """``(candidate scores, saved model scores, learners)``: the candidate's holdout model and the active version's
    saved model (:func:`load_version_model`) scored on the same test learners of ``split``.

    Ids are mapped through the saved model's own id maps (``ids.json``). Only learners the saved model knows are
    scored, and only those whose held-out course it did not train on (a course it has seen would be filtered
    out as owned, which says nothing about its quality). A held-out course the saved model does not know counts
    as a miss for it. Raises when the artifact cannot be loaded.
    """
    from . import engine

    if not active.artifact_dir:
        raise engine.ArtifactError(f"version #{active.pk} has no saved model")
    model = load_version_model(active)
    ids = _saved_ids(active)
    old_users = {str(k): i for i, k in enumerate(ids["user_ids"])}
    old_items = {str(k): i for i, k in enumerate(ids["item_ids"])}
    data = split.train
    item_map = np.asarray([old_items.get(str(k), -1) for k in data.item_ids], dtype=np.int64)
    test_csr = split.test.to_csr()
    user_map: dict[int, int] = {}
    for u in np.flatnonzero(np.diff(test_csr.indptr) > 0):
        old_u = old_users.get(str(data.user_ids[u]))
        if old_u is None or old_u >= model.n_users:
            continue
        held_out = item_map[test_csr.indices[test_csr.indptr[u]:test_csr.indptr[u + 1]]]
        trained_on = set(model.user_items[old_u].indices.tolist())
        if any(int(i) in trained_on for i in held_out if i >= 0):
            continue  # the saved model saw this learner's held-out course
        user_map[int(u)] = old_u
    keep = np.zeros(test_csr.shape[0], dtype=np.float32)
    keep[list(user_map)] = 1.0
    test = (sp.diags(keep) @ test_csr).tocsr()
    test.eliminate_zeros()
    if not user_map:
        return {}, {}, 0
    new = _finite(engine.evaluate(candidate_model, train_csr, test, ks=(10, 20)).metrics)
    old = _finite(engine.evaluate(_SavedModelOnSplit(model, user_map, item_map, train_csr), train_csr, test,
                                  ks=(10, 20)).metrics)
    return new, old, len(user_map)


# --- the engagement model: P(enrol | impression) ------------------------------------------------------------

ENGAGEMENT_MIN_IMPRESSIONS = 200  # fewer logged impressions: no report (RECOMMENDER_ENGAGEMENT_MIN_IMPRESSIONS)
ENGAGEMENT_MIN_POSITIVES = 10  # fewer impressions followed by an enrolment: no report (…_MIN_POSITIVES)
ENGAGEMENT_MAX_IMPRESSIONS = 200_000  # the newest ones are used (…_MAX_IMPRESSIONS)
ENGAGEMENT_TEST_FRACTION = 0.2  # the latest impressions form the holdout


def _engagement_setting(name: str, default):
    return getattr(settings, f"RECOMMENDER_ENGAGEMENT_{name}", default)


def engagement_dataset(max_impressions: int | None = None) -> dict:
    """Feature rows for the engagement model from the interaction log, label = enrolled afterwards.

    One row per logged impression of a learner (``Interaction`` of type impression with a ``position``; anonymous
    impressions cannot be joined to an enrolment), the newest ``max_impressions`` of them. Its label is 1 when the
    same learner has a catalog ``Enrollment`` in that course created at or after the impression (the enrolment
    itself, not a client-sent event, is the outcome); impressions of a course the learner already owned at that
    moment are dropped (they cannot convert). Features known at the impression's time, leak-free except the
    model score (filled in by :func:`engagement_report`):

    * ``popularity``: enrolments in the course created before the impression;
    * ``category_match``: 1 when the course's category is one of the learner's sign-up interests or of a course
      they had enrolled in before the impression;
    * ``price``: the course's list price; ``position``: the feed position (1 = top);
    * ``lessons_30d``: lessons the learner completed in the 30 days before the impression; ``courses_completed``:
      courses they had completed before it (the progress features, :func:`progress_at`).

    Returns ``{"rows": [feature dict], "labels", "timestamps" (unix s), "pairs" ((learner id, course id))}``.
    """
    limit = int(max_impressions or _engagement_setting("MAX_IMPRESSIONS", ENGAGEMENT_MAX_IMPRESSIONS))
    impressions = events.learner_impressions(limit)
    out: dict = {"rows": [], "labels": [], "timestamps": [], "pairs": []}
    if not impressions:
        return out
    course_ids = {c for _u, c, _t, _p in impressions}
    courses = {cid: (cat, float(price)) for cid, cat, price in
               Course.objects.filter(pk__in=course_ids).values_list("id", "category_id", "price")}
    category_of = dict(Course.objects.values_list("id", "category_id"))
    enrolled_at: dict[tuple[int, int], float] = {}
    course_times: dict[int, list[float]] = defaultdict(list)
    learner_categories: dict[int, dict[int, float]] = defaultdict(dict)  # learner -> category -> first enrolment
    for learner_id, course_id, created in Enrollment.objects.values_list("learner_id", "course_id",
                                                                         "created_at").iterator():
        t = created.timestamp()
        enrolled_at[(learner_id, course_id)] = t
        if course_id in course_ids:
            course_times[course_id].append(t)
        cat = category_of.get(course_id)
        if cat is not None and t < learner_categories[learner_id].get(cat, math.inf):
            learner_categories[learner_id][cat] = t
    for times in course_times.values():
        times.sort()
    users = {u for u, _c, _t, _p in impressions}
    interests: dict[int, set[int]] = defaultdict(set)
    through = get_user_model().interests.through
    for user_id, category_id in through.objects.values_list("user_id", "category_id").iterator():
        if user_id in users:
            interests[user_id].add(category_id)
    timelines = progress_timelines(users)
    for user_id, course_id, ts, position in impressions:
        if course_id not in courses:
            continue
        t = ts.timestamp()
        owned_since = enrolled_at.get((user_id, course_id))
        if owned_since is not None and owned_since < t:
            continue  # already enrolled when it was shown
        category, price = courses[course_id]
        first = learner_categories.get(user_id, {}).get(category)
        match = category in interests.get(user_id, ()) or (first is not None and first < t)
        out["rows"].append({"popularity": float(bisect_left(course_times.get(course_id, []), t)),
                            "category_match": 1.0 if match else 0.0, "price": price, "position": float(position),
                            **progress_at(timelines.get(user_id), t)})
        out["labels"].append(1.0 if owned_since is not None else 0.0)
        out["timestamps"].append(t)
        out["pairs"].append((user_id, course_id))
    return out


PROGRESS_WINDOW_S = 30 * 24 * 3600


def progress_at(timeline: dict[str, list[float]] | None, t: float) -> dict[str, float]:
    """The progress features at time ``t`` from a learner's :func:`progress_timelines` entry."""
    if not timeline:
        return {"lessons_30d": 0.0, "courses_completed": 0.0}
    lessons = timeline["lessons"]
    return {"lessons_30d": float(bisect_left(lessons, t) - bisect_left(lessons, t - PROGRESS_WINDOW_S)),
            "courses_completed": float(bisect_left(timeline["courses"], t))}


def _model_scores(model, data, pairs: Sequence[tuple[int, int]]) -> list[float]:
    """The model's score for each (learner id, course id); 0.0 for a learner or course it does not know."""
    user_index = {int(k): i for i, k in enumerate(data.user_ids)}
    item_index = {int(k): i for i, k in enumerate(data.item_ids)}
    wanted: dict[int, list[int]] = defaultdict(list)
    for n, (u, c) in enumerate(pairs):
        if u in user_index and c in item_index:
            wanted[user_index[u]].append(n)
    scores = [0.0] * len(pairs)
    known = sorted(wanted)
    for start in range(0, len(known), USER_CHUNK):
        chunk = known[start:start + USER_CHUNK]
        matrix = model.score_users(np.asarray(chunk), filter_seen=False)
        for row, u in enumerate(chunk):
            for n in wanted[u]:
                value = float(matrix[row, item_index[pairs[n][1]]])
                scores[n] = value if math.isfinite(value) else 0.0
    return scores


def engagement_report(algorithm: str, params: dict, device: str, rows: Sequence[tuple] | None = None,
                      half_life: float | None = None) -> dict:
    """Fit the engagement model (:mod:`recommender.engine.engagement`) on the logged impressions and report it.

    The impressions are split by time (the latest :data:`ENGAGEMENT_TEST_FRACTION` form the holdout). The
    ``model_score`` feature comes from ``algorithm`` + ``params`` fitted on the interactions logged *before* the
    holdout starts, so no holdout outcome is seen by the score (training rows' own enrolments may be, which can
    only make the reported holdout AUC conservative). Returns ``{"roc_auc", "pr_auc", "n", "positives",
    "n_train", "n_test", "test_positive_rate", "holdout_from", "coef"}``, or ``{"skipped": code, "reason", "n",
    "positives"}`` when there is too little data (codes: ``too_few_impressions``, ``too_few_positives``,
    ``holdout_one_class``, ``no_history``, ``error``). Never raises: training does not depend on it.
    """
    try:
        return _engagement_report(algorithm, params, device, rows, half_life)
    except Exception as exc:  # noqa: BLE001 -- a side report must never fail a training run
        logger.exception("engagement report failed")
        return {"skipped": "error", "reason": f"{type(exc).__name__}: {exc}"[:300], "n": 0, "positives": 0}


def _engagement_report(algorithm, params, device, rows, half_life) -> dict:
    from . import engine
    from .engine.engagement import BASE_FEATURES, feature_matrix, fit_and_evaluate, time_holdout

    dataset = engagement_dataset()
    y = np.asarray(dataset["labels"], dtype=np.float64)
    ts = np.asarray(dataset["timestamps"], dtype=np.float64)
    n, positives = int(y.size), int(y.sum())
    counts = {"n": n, "positives": positives}
    min_n = int(_engagement_setting("MIN_IMPRESSIONS", ENGAGEMENT_MIN_IMPRESSIONS))
    min_pos = int(_engagement_setting("MIN_POSITIVES", ENGAGEMENT_MIN_POSITIVES))
    if n < min_n:
        return {"skipped": "too_few_impressions", "reason": f"{n} learner impressions logged, {min_n} needed",
                **counts}
    if positives < min_pos:
        return {"skipped": "too_few_positives",
                "reason": f"{positives} impressions followed by an enrolment, {min_pos} needed", **counts}
    fraction = float(_engagement_setting("TEST_FRACTION", ENGAGEMENT_TEST_FRACTION))
    train, test = time_holdout(ts, fraction)
    if not (y[train].any() and y[test].any() and not y[test].all()):
        return {"skipped": "holdout_one_class",
                "reason": "the time holdout needs enrolments in training and both outcomes in the test part",
                **counts}
    cutoff = float(ts[test].min())
    if rows is None:
        rows = _interaction_rows()
    if hasattr(rows, "timestamps"):  # an EventLog
        history = rows.subset(rows.timestamps < cutoff)
    else:
        history = [r for r in rows if r[3].timestamp() < cutoff]
    data = engine.build_interactions(history, training_weights(), half_life_days=half_life) if len(history) else None
    if data is None or len(data) == 0:
        return {"skipped": "no_history", "reason": "no learner interactions before the holdout", **counts}
    scorer = engine.fit_model(algorithm, params, data, item_features(data), device=device)
    scores = _model_scores(scorer, data, dataset["pairs"])
    for row, score in zip(dataset["rows"], scores, strict=True):
        row["model_score"] = score
    model, report = fit_and_evaluate(feature_matrix(dataset["rows"]), y, ts, test_fraction=fraction)
    # the same fit without the learner's progress: what the progress features add, on the same holdout
    _base, without = fit_and_evaluate(feature_matrix(dataset["rows"], BASE_FEATURES), y, ts, test_fraction=fraction,
                                      features=BASE_FEATURES)
    result = _finite({"roc_auc": report["roc_auc"], "pr_auc": report["pr_auc"],
                      "test_positive_rate": report["positive_rate"],
                      "roc_auc_without_progress": without["roc_auc"], "pr_auc_without_progress": without["pr_auc"]})
    coef = model.to_dict()
    return {**result, **counts, "n_train": report["n_train"], "n_test": report["n_test"],
            "holdout_from": dt.datetime.fromtimestamp(cutoff, tz=dt.UTC).isoformat(timespec="seconds"),
            "coef": {f: round(float(c), 4) for f, c in zip(coef["features"], coef["coef"], strict=True)},
            "replay": _engagement_replay(model, dataset, y, ts, train)}


def _engagement_replay(model, dataset: dict, y, ts, train) -> dict:
    """Offline replay (:func:`recommender.engine.engagement.replay_blend`): would blending P(enrol) into the
    ranking have put the later feeds' enrolments higher? P(enrol) is predicted at position 1 for every row (the
    logged position is the old ranking's). One feed = one learner's impressions within the same hour."""
    import numpy as np

    from .engine.engagement import replay_blend

    p = model.predict_rows([{**row, "position": 1.0} for row in dataset["rows"]])
    base = np.asarray([row["model_score"] for row in dataset["rows"]], dtype=np.float64)
    keys = [(u, int(t // 3600)) for (u, _c), t in zip(dataset["pairs"], ts, strict=True)]
    index: dict = {}
    groups = np.asarray([index.setdefault(k, len(index)) for k in keys])
    out = replay_blend(base, p, y, groups, train)
    # what materialise needs to apply the blend (the same z-scaling as the replay: the earlier rows' mean, std)
    scale = {"base_mean": base[train].mean(), "base_std": base[train].std(), "p_mean": p[train].mean(),
             "p_std": p[train].std()}
    return {**_finite({"weight": out["weight"], "holdout_base": out["holdout_base"],
                       "holdout_blend": out["holdout_blend"]}),
            "use": out["use"], "metric": out["metric"], "model": model.to_dict(),
            "scale": _finite({k: float(v) for k, v in scale.items()}),
            "weights_tried": {str(w): (round(s, 6) if math.isfinite(s) else None)
                              for w, s in out["weights_tried"].items()}}


def load_version_model(version: ModelVersion):
    """Load a version's model from its artifact (sha256-checked, ``weights_only=True``). Worker-side only."""
    from .engine import Recommender

    return Recommender.load(artifacts.local_dir(version), device="cpu")


class _SavedIds:
    """The parts of an engine dataset that :func:`materialise` reads, rebuilt from a saved artifact."""

    def __init__(self, user_ids: list[str], item_ids: list[str], csr) -> None:
        self.user_ids, self.item_ids, self._csr = user_ids, item_ids, csr

    def to_csr(self):
        return self._csr


def _saved_ids(version: ModelVersion) -> dict:
    """The learner and course ids of a saved model's rows and columns (``ids.json``, sha256-checked)."""
    from .engine import ArtifactError

    directory = artifacts.local_dir(version)
    try:
        meta = json.loads((directory / "metadata.json").read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ArtifactError(f"{directory}: no metadata.json") from error
    raw = (directory / meta.get("ids_file", artifacts.IDS_FILE)).read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta.get("ids_sha256"):
        raise ArtifactError(f"{directory / artifacts.IDS_FILE}: sha256 mismatch")
    return json.loads(raw)


def rematerialise(version: ModelVersion) -> int:
    """Rebuild a version's feed rows and neighbours from its artifact (after pruning, or on demand)."""
    model = load_version_model(version)
    ids = _saved_ids(version)
    data = _SavedIds(ids["user_ids"], ids["item_ids"], model.user_items)
    with transaction.atomic():
        FeedItem.objects.filter(version=version).delete()
        CourseSimilarity.objects.filter(version=version).delete()
        count = materialise(version, model, data)
        ModelVersion.objects.filter(pk=version.pk).update(feed_count=count)
    version.feed_count = count
    return count


def versions_in_experiments() -> set[int]:
    """Versions a running interleaving test or model-version A/B test serves (their feeds are never pruned)."""
    ids = set()
    for a, b in InterleavingExperiment.objects.filter(status=InterleavingExperiment.Status.RUNNING).values_list(
            "version_a_id", "version_b_id"):
        ids |= {a, b}
    arms = Variant.objects.filter(experiment__kind=ARMS_KIND, experiment__status=ExperimentStatus.RUNNING)
    return ids | {int(arm) for arm in arms.values_list("arm", flat=True) if arm.isdigit()}


def prune_feeds(keep: int = 3) -> int:
    """Drop the feed rows of versions older than the ``keep`` newest (never the active one's, nor those a running
    experiment serves).

    Their artifacts stay: activating one of them again rebuilds its rows first (:func:`rematerialise`).
    """
    serving = versions_in_experiments()
    old = [pk for pk in ModelVersion.objects.filter(is_active=False, feed_count__gt=0).order_by("-id")
           .values_list("id", flat=True)[keep:] if pk not in serving]
    if not old:
        return 0
    deleted, _ = FeedItem.objects.filter(version_id__in=old).delete()
    CourseSimilarity.objects.filter(version_id__in=old).delete()
    ModelVersion.objects.filter(pk__in=old).update(feed_count=0)
    return deleted


def _blend_order(blend: dict, scores: Sequence[float], rows: list[dict]) -> list[int]:
    """Candidate indices by ``z(score) + w z(P(enrol))`` (P predicted at position 1, as in the replay)."""
    from .engine.engagement import EngagementModel

    model = EngagementModel.from_dict(blend["model"])
    scale = blend["scale"]
    p = model.predict_rows([{**row, "position": 1.0} for row in rows])
    base = np.asarray(scores, dtype=np.float64)
    z_base = (base - scale["base_mean"]) / (scale["base_std"] if scale["base_std"] > 1e-12 else 1.0)
    z_p = (p - scale["p_mean"]) / (scale["p_std"] if scale["p_std"] > 1e-12 else 1.0)
    blended = z_base + blend["weight"] * z_p
    return sorted(range(len(rows)), key=lambda k: (-blended[k], k))


def materialise(version: ModelVersion, model, data) -> int:
    """Write course neighbours and each learner's top candidates with a reason for ``version``.

    Excludes courses the learner owns (enrolled in, or sells) and unpublished courses. When the version's
    offline replay showed that blending P(enrol | impression) into the score puts later enrolments higher
    (:meth:`ModelVersion.engagement_blend`), each learner's candidates are re-ranked by that blend; otherwise
    by the score.
    """
    blend = version.engagement_blend()
    item_course = [int(k) for k in data.item_ids]
    user_ids = [int(k) if k is not None else 0 for k in data.user_ids]  # None: an erased person (no feed)
    courses = {
        c["id"]: c for c in Course.objects.published().values("id", "title", "tags", "category_id",
                                                                "storefront__owner_id", "price")
    }
    owned: dict[int, set[int]] = defaultdict(set)
    popularity: dict[int, int] = defaultdict(int)
    for learner_id, course_id in Enrollment.objects.values_list("learner_id", "course_id").iterator():
        owned[learner_id].add(course_id)
        popularity[course_id] += 1
    interests: dict[int, set[int]] = defaultdict(set)
    timelines: dict[int, dict[str, list[float]]] = {}
    if blend is not None:
        through = get_user_model().interests.through
        for user_id, category_id in through.objects.values_list("user_id", "category_id").iterator():
            interests[user_id].add(category_id)
        timelines = progress_timelines()
    now = time.time()
    sold: dict[int, set[int]] = defaultdict(set)
    for cid, c in courses.items():
        sold[c["storefront__owner_id"]].add(cid)
    item_of = {c: i for i, c in enumerate(item_course)}
    unpublished_items = {i for i, c in enumerate(item_course) if c not in courses}

    # course neighbours: collaborative (from the model) and content (title, tags, category)
    collaborative = version.algorithm != "pop"
    cf: dict[int, dict[int, float]] = {}
    sims: list[CourseSimilarity] = []
    if collaborative:
        for i, course_id in enumerate(item_course):
            if course_id not in courses:
                continue
            row = {item_course[j]: s for j, s in model.similar_items(i, N_NEIGHBOURS)
                   if s > 0 and item_course[j] in courses}
            cf[course_id] = row
            sims += [CourseSimilarity(version=version, course_id=course_id, other_id=o, kind="cf", score=s)
                     for o, s in row.items()]
    ordered = sorted(courses)
    index = build_index((cid, courses[cid]["title"], courses[cid]["tags"], courses[cid]["category_id"])
                        for cid in ordered)
    content: dict[int, dict[int, float]] = {}
    for cid, row in zip(ordered, index.neighbours(N_NEIGHBOURS), strict=True):
        content[cid] = dict(row)
        sims += [CourseSimilarity(version=version, course_id=cid, other_id=o, kind="content", score=s)
                 for o, s in row]

    from .engine.explain import explain_items

    items: list[FeedItem] = []
    for start in range(0, len(user_ids), USER_CHUNK):
        chunk = list(range(start, min(start + USER_CHUNK, len(user_ids))))
        excludes = []
        for u in chunk:
            mine = owned.get(user_ids[u], set()) | sold.get(user_ids[u], set())
            excludes.append(unpublished_items | {item_of[c] for c in mine if c in item_of})
        recs = model.recommend_batch(chunk, n=N_CANDIDATES, exclude=excludes)
        if blend is not None:
            recs = [_engagement_reranked(blend, rec, item_course, courses, popularity,
                                         interests[user_ids[u]] | {courses[c]["category_id"]
                                                                   for c in owned.get(user_ids[u], ()) if c in courses},
                                         progress_at(timelines.get(user_ids[u]), now))
                    for u, rec in zip(chunk, recs, strict=True)]
        for u, rec in zip(chunk, recs, strict=True):
            if not user_ids[u]:
                continue
            # truthful reasons: the history course that contributed most to the score, when substantial
            whys = explain_items(model, model.user_items[u], [j for j, _s in rec])
            for rank, ((j, score), why) in enumerate(zip(rec, whys, strict=True), start=1):
                course_id = item_course[j]
                code, arg = _reason(course_id, why, item_course, courses, collaborative)
                items.append(FeedItem(version=version, user_id=user_ids[u], course_id=course_id, rank=rank,
                                      score=float(score) if math.isfinite(score) else 0.0,
                                      reason_code=code, reason_arg=arg))
    with transaction.atomic():
        CourseSimilarity.objects.bulk_create(sims, batch_size=2000)
        FeedItem.objects.bulk_create(items, batch_size=2000)
    return len(items)


def _engagement_reranked(blend: dict, rec: list, item_course: list[int], courses: dict, popularity: dict,
                         categories: set[int], progress: dict[str, float] | None = None) -> list:
    """One learner's ``[(item, score)]`` in blend order, with the features the engagement model was fitted on
    (known now: current enrolment counts, the learner's interests and enrolled categories, the price, their
    progress)."""
    if not rec:
        return rec
    rows = []
    for j, score in rec:
        course = courses.get(item_course[j], {})
        rows.append({"model_score": float(score) if math.isfinite(score) else 0.0,
                     "popularity": float(popularity.get(item_course[j], 0)),
                     "category_match": 1.0 if course.get("category_id") in categories else 0.0,
                     "price": float(course.get("price") or 0), **(progress or {})})
    return [rec[k] for k in _blend_order(blend, [r["model_score"] for r in rows], rows)]


def _reason(course_id: int, why, item_course: list[int], courses: dict, collaborative: bool
            ) -> tuple[str, int | None]:
    if why is not None:
        return ReasonCode.BECAUSE, item_course[why.anchor]
    if collaborative:
        return ReasonCode.FOR_YOU, None
    return ReasonCode.POPULAR_IN, courses[course_id]["category_id"]
