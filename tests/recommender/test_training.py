"""The training service: artifacts, holdout metrics, materialised feeds, the not-worse gate, forced
activation, rollback and hot swap. Runs the real engine in-process on small planted data."""

import hashlib
import json
import os
from pathlib import Path

import pytest

from recommender import selectors, services
from recommender.artifacts import local_dir
from recommender.models import CourseSimilarity, FeedItem, ModelVersion, TrainingRun
from recommender.training import TrainingError, train_version, training_run_execute
from tests.recommender.factories import catalogue, planted_interactions

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    _categories, courses = catalogue(n_categories=4, per_category=4)
    learners = planted_interactions(courses, n_learners=32)
    return courses, learners


def run_for(algorithm: str, forced: bool = False, actor=None) -> TrainingRun:
    return TrainingRun.objects.create(algorithm=algorithm, forced=forced, requested_by=actor)


def test_training_writes_an_immutable_sha256_checked_artifact(data):
    version = train_version(algorithm="ease", device="cpu")
    assert version.artifact_dir == f"models/{version.pk}"  # a key of STORAGES["artifacts"]
    directory = local_dir(version)
    assert directory.name == str(version.pk) and directory.parent.name == "models"
    meta = json.loads((directory / "metadata.json").read_text())
    weights = directory / meta["weights_file"]
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == meta["sha256"] == version.sha256
    assert meta["version_id"] == version.pk and meta["algorithm"] == "ease"
    assert not os.access(weights, os.W_OK) or os.geteuid() == 0  # read-only files
    assert version.metrics["ndcg@10"] is not None and version.metrics["recall@20"] is not None
    assert version.interaction_count == 96 and version.user_count == 32 and version.device == "cpu"
    assert not version.is_active and version.is_servable
    from recommender.training import load_version_model

    model = load_version_model(version)
    assert model.n_items == version.item_count


def test_materialised_feeds_exclude_owned_courses_and_carry_reasons(data):
    courses, learners = data
    version = train_version(algorithm="ease", device="cpu")
    assert version.feed_count == FeedItem.objects.filter(version=version).count() > 0
    for learner in learners[:8]:
        owned = set(learner.enrollments.values_list("course_id", flat=True))
        rows = list(FeedItem.objects.filter(version=version, user=learner).order_by("rank"))
        assert rows and not owned & {r.course_id for r in rows}
        assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    # the planted block structure: the learner's remaining block course is first, "because you took" a block mate
    learner = learners[0]
    owned = set(learner.enrollments.values_list("course_id", flat=True))
    block = {c.pk for c in courses[:4]}
    top = FeedItem.objects.filter(version=version, user=learner).order_by("rank").first()
    assert top.course_id in block - owned
    assert top.reason_code == "because" and top.reason_arg in owned
    assert CourseSimilarity.objects.filter(version=version, kind="cf").exists()
    assert CourseSimilarity.objects.filter(version=version, kind="content").exists()


def test_every_because_reason_in_the_feeds_names_a_history_course_among_the_items_strongest_neighbours(data):
    """Truthful reasons: the named course is in the learner's history, contributed most to the item's score and is
    one of the item's 10 strongest links; other items get a generic reason (never a content look-alike)."""
    import numpy as np

    from recommender.training import _saved_ids, load_version_model

    version = train_version(device="cpu")  # the platform's training
    model = load_version_model(version)
    ids = _saved_ids(version)
    item = {int(k): i for i, k in enumerate(ids["item_ids"])}
    user = {int(k): i for i, k in enumerate(ids["user_ids"])}
    w = model.weights.numpy()
    rows = list(FeedItem.objects.filter(version=version))
    because = [r for r in rows if r.reason_code == "because"]
    assert because and len(because) < len(rows)
    assert {r.reason_code for r in rows} - {"because"} == {"for_you"}
    for r in because:
        history = model.user_items[user[r.user_id]]
        j, anchor = item[r.course_id], item[r.reason_arg]
        contrib = history.data * w[history.indices, j]
        assert anchor == history.indices[int(np.argmax(contrib))]
        assert anchor in np.argsort(-w[:, j])[:10]


def test_no_interactions_is_a_clear_error(db):
    with pytest.raises(TrainingError):
        train_version(algorithm="pop", device="cpu")


def test_first_version_activates_and_a_worse_one_does_not_unless_forced(data, staff):
    good, activated, _note = training_run_execute(run_for("ease"), device="cpu")
    assert activated and good.is_active
    worse, activated, note = training_run_execute(run_for("pop"), device="cpu")
    assert worse.metric("ndcg@10") < good.metric("ndcg@10")
    assert not activated and "kept version" in note
    worse.refresh_from_db()
    assert not worse.is_active and ModelVersion.objects.get(is_active=True) == good
    forced, activated, note = training_run_execute(run_for("pop", forced=True, actor=staff), device="cpu")
    forced.refresh_from_db()
    assert activated and forced.is_active and forced.activated_by == staff and "forced" in note
    assert ModelVersion.objects.filter(is_active=True).count() == 1


def test_rollback_activates_an_earlier_version_in_one_step(data, staff):
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    second, _a, _n = training_run_execute(run_for("itemknn", forced=True), device="cpu")
    assert ModelVersion.objects.get(is_active=True) == second
    services.version_activate(version=first, actor=staff)
    assert list(ModelVersion.objects.filter(is_active=True)) == [first]
    first.refresh_from_db()
    assert first.activated_by == staff


def test_at_most_one_active_version_is_a_database_constraint(db):
    from django.db import IntegrityError, transaction

    from tests.recommender.factories import ModelVersionFactory

    ModelVersionFactory(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModelVersionFactory(is_active=True)


def test_a_version_without_an_artifact_cannot_be_activated(db):
    from django.core.exceptions import ValidationError

    from tests.recommender.factories import ModelVersionFactory

    with pytest.raises(ValidationError):
        services.version_activate(version=ModelVersionFactory(artifact_dir="", sha256=""))


def test_hot_swap_serves_the_new_active_version_without_restart(data, django_capture_on_commit_callbacks):
    _courses, learners = data
    learner = learners[1]
    with django_capture_on_commit_callbacks(execute=True):
        pop, _a, _n = training_run_execute(run_for("pop"), device="cpu")
    assert pop.is_active
    feed_pop = [i["course"].pk for i in selectors.feed_for_user(learner, 6)]
    assert [i["reason_code"] for i in selectors.feed_for_user(learner, 6)][:1] == ["popular_in"]
    with django_capture_on_commit_callbacks(execute=True):
        ease, activated, _n = training_run_execute(run_for("ease"), device="cpu")
    assert activated  # better than popularity on planted structure
    feed_ease = selectors.feed_for_user(learner, 6)
    assert feed_ease[0]["reason_code"] == "because" and [i["course"].pk for i in feed_ease] != feed_pop
    with django_capture_on_commit_callbacks(execute=True):
        services.version_activate(version=pop)  # roll back: the cached entry is stale at once
    assert [i["course"].pk for i in selectors.feed_for_user(learner, 6)] == feed_pop


def test_a_redelivered_run_reuses_its_finished_version(data):
    run = run_for("ease")
    version, _a, _n = training_run_execute(run, device="cpu")
    run.refresh_from_db()
    again, _a, _n = training_run_execute(run, device="cpu")
    assert again.pk == version.pk and ModelVersion.objects.count() == 1


def test_the_web_tier_model_list_matches_the_engine():
    from recommender.engine import MODEL_NAMES

    assert set(services.ALGORITHMS) == set(MODEL_NAMES)


def test_old_feeds_are_pruned_and_rebuilt_from_the_artifact_before_a_rollback(data, settings, staff,
                                                                                django_capture_on_commit_callbacks):
    from recommender import tasks

    settings.RECOMMENDER_KEEP_FEEDS = 1
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    rows = list(FeedItem.objects.filter(version=first).order_by("user_id", "rank")
                .values_list("user_id", "course_id", "reason_code"))
    training_run_execute(run_for("itemknn", forced=True), device="cpu")
    training_run_execute(run_for("pop", forced=True), device="cpu")
    first.refresh_from_db()
    assert first.feed_count == 0 and not FeedItem.objects.filter(version=first).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        assert services.version_request_activation(version=first, actor=staff) is False
    assert len(callbacks) == 1 and not ModelVersion.objects.get(pk=first.pk).is_active
    tasks.materialise_feeds(first.pk, activate=True, actor_id=staff.pk)  # what the default worker runs
    first.refresh_from_db()
    assert first.is_active and first.activated_by == staff and first.feed_count == len(rows)
    assert rows == list(FeedItem.objects.filter(version=first).order_by("user_id", "rank")
                        .values_list("user_id", "course_id", "reason_code"))


def test_default_training_selects_its_settings_on_its_own_data_like_the_engine_does(data):
    from recommender.engine import DEFAULT_MODEL, build_interactions, train_default
    from recommender.training import _interaction_rows, item_features

    version = train_version(device="cpu")
    selection = version.metrics["selection"]
    assert version.algorithm == DEFAULT_MODEL and version.params == selection["params"]
    assert selection["protocol"] == "leave-last-out" and selection["trials"]
    assert any(t["step"] == "side" for t in selection["trials"])  # category, storefront, language were offered
    interactions = build_interactions(_interaction_rows())
    _model, sel = train_default(interactions, item_features(interactions))
    assert sel.params == version.params


def _pretend_stored(version, ndcg: float) -> None:
    """As if ``version`` had earned ``ndcg`` on an older, easier or harder split than today's."""
    version.metrics = {**version.metrics, "ndcg@10": ndcg}
    version.save(update_fields=["metrics"])


def test_gate_compares_a_better_model_with_the_active_algorithm_refitted_on_the_same_split(data):
    pop, activated, _note = training_run_execute(run_for("pop"), device="cpu")
    assert activated
    _pretend_stored(pop, 0.99)  # the stored number alone would block any new model

    ease, activated, note = training_run_execute(run_for("ease"), device="cpu")

    gate = ease.metrics["gate"]
    assert gate["incumbent_version"] == pop.pk and gate["incumbent_algorithm"] == "pop"
    assert gate["metric"] == "ndcg@10" and gate["incumbent_refit"] == "refitted"
    assert gate["candidate"] == ease.metric("ndcg@10") > gate["incumbent"]
    assert gate["incumbent_stored"] == 0.99
    assert activated and ModelVersion.objects.get(is_active=True) == ease
    assert "refitted on the same split" in note and f"{gate['incumbent']:.4f}" in note


def test_gate_keeps_the_active_version_when_the_new_model_is_worse_on_the_same_split(data):
    ease, activated, _note = training_run_execute(run_for("ease"), device="cpu")
    assert activated
    _pretend_stored(ease, 0.0)  # the stored number alone would let anything through

    from recommender import tasks

    run = run_for("pop")
    tasks._train(run, run.pk)  # what the gpu worker runs after claiming the run

    run.refresh_from_db()
    pop = run.version
    gate = pop.metrics["gate"]
    assert gate["incumbent_version"] == ease.pk and gate["incumbent"] > gate["candidate"] == pop.metric("ndcg@10")
    assert not pop.is_active and ModelVersion.objects.get(is_active=True) == ease
    # the run records both scores of the same split
    assert run.status == "succeeded" and "kept version" in run.reason and "refitted on the same split" in run.reason
    assert f"{gate['candidate']:.4f} < {gate['incumbent']:.4f}" in run.reason


def _fresh_enrolments(learners, courses, *, shuffle_history: bool = False) -> None:
    """One new enrolment per learner, later than everything before, in their planted block (see
    ``planted_interactions``); with ``shuffle_history`` every earlier interaction is first moved to a random
    course (degraded data: the history no longer says anything about the learner)."""
    import random

    from django.utils import timezone

    from courseplatform.events.models import Interaction
    from tests.recommender.factories import InteractionFactory

    rng = random.Random(1)
    blocks = [courses[i:i + 4] for i in range(0, len(courses), 4)]
    for n, learner in enumerate(learners):
        owned = set(Interaction.objects.filter(user=learner).values_list("course_id", flat=True))
        fresh = next(c for c in blocks[n % len(blocks)] if c.pk not in owned)
        if shuffle_history:
            for interaction in Interaction.objects.filter(user=learner):
                interaction.course = rng.choice([c for c in courses if c.pk != fresh.pk])
                interaction.save(update_fields=["course"])
        InteractionFactory(user=learner, course=fresh, type="enroll", ts=timezone.now() + timezone.timedelta(hours=1))


def test_gate_scores_the_saved_model_when_the_active_version_has_the_same_algorithm_and_params(data):
    courses, learners = data
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    _fresh_enrolments(learners, courses)  # more of the same: as good as before

    second, activated, note = training_run_execute(run_for("ease"), device="cpu")

    gate = second.metrics["gate"]
    assert gate["incumbent_version"] == first.pk and gate["incumbent_refit"] == "saved model"
    assert gate["gate_users"] == len(learners) and "incumbent_error" not in gate
    assert isinstance(gate["incumbent"], float) and gate["candidate"] >= gate["incumbent"] > 0.0
    assert activated and ModelVersion.objects.get(is_active=True) == second
    assert f"saved model of version #{first.pk} scored on the same test learners" in note
    assert f"{gate['candidate']:.4f} ≥ {gate['incumbent']:.4f}" in note


def test_gate_keeps_the_active_version_when_a_retrain_with_the_same_params_sees_degraded_data(data):
    courses, learners = data
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    _pretend_stored(first, 0.0)  # the stored number alone would let anything through
    _fresh_enrolments(learners, courses, shuffle_history=True)

    second, activated, note = training_run_execute(run_for("ease"), device="cpu")

    gate = second.metrics["gate"]
    assert gate["incumbent_refit"] == "saved model" and gate["gate_users"] == len(learners)
    assert gate["incumbent"] > gate["candidate"]
    assert not activated and ModelVersion.objects.get(is_active=True) == first
    assert "kept version" in note and f"{gate['candidate']:.4f} < {gate['incumbent']:.4f}" in note


def test_gate_falls_back_to_stored_metrics_when_the_saved_model_cannot_be_loaded(data):
    courses, learners = data
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    ModelVersion.objects.filter(pk=first.pk).update(artifact_dir=str(Path(first.artifact_dir) / "gone"))
    _fresh_enrolments(learners, courses)

    second, activated, note = training_run_execute(run_for("ease"), device="cpu")

    gate = second.metrics["gate"]
    assert gate["incumbent_refit"] == "saved model" and gate["incumbent"] is None and gate["incumbent_error"]
    assert "stored metric from its own split" in note


def test_gate_without_new_data_falls_back_to_the_stored_metric_of_the_same_algorithm(data):
    first, _a, _n = training_run_execute(run_for("ease"), device="cpu")
    second, activated, note = training_run_execute(run_for("ease"), device="cpu")
    gate = second.metrics["gate"]
    assert gate["incumbent_version"] == first.pk and gate["incumbent_refit"] == "saved model"
    assert gate["gate_users"] == 0 and gate["incumbent"] is None and "incumbent_error" in gate
    assert second.metric("ndcg@10") == first.metric("ndcg@10")
    assert activated and "stored metric from its own split" in note


def test_gate_falls_back_to_stored_metrics_when_the_active_algorithm_cannot_be_refitted(data):
    from tests.recommender.factories import ModelVersionFactory

    legacy = ModelVersionFactory(algorithm="retired-algo", metrics={"ndcg@10": 0.0}, is_active=True)
    version, activated, note = training_run_execute(run_for("ease"), device="cpu")
    assert version.metrics["gate"]["incumbent"] is None and "incumbent_error" in version.metrics["gate"]
    assert activated and "stored metric from its own split" in note
    assert not ModelVersion.objects.get(pk=legacy.pk).is_active
