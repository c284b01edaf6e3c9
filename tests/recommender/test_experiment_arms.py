"""Model versions as arms of the platform's A/B experiments: a storefront visitor in arm B gets the storefront's
personal picks from version B, their enrolments carry the variant, pruned feeds are rebuilt for an arm, only
staff promote a version (it serves every storefront), and a running experiment's versions keep their feeds."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from courseplatform.catalog import services as catalog
from courseplatform.events.models import EventType, Interaction
from courseplatform.experiments import services as experiments
from courseplatform.experiments.selectors import arm_kinds, variant_for
from recommender import platform_hooks
from recommender.experiment_arms import KIND
from recommender.models import FeedItem, ModelVersion
from recommender.training import prune_feeds
from tests.factories import CourseFactory, StorefrontFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def shop():
    storefront = StorefrontFactory()
    courses = [CourseFactory(storefront=storefront, price=0, title=f"Course {k}") for k in range(8)]
    return storefront, courses


def _feeds(version, learners, courses):
    FeedItem.objects.bulk_create([FeedItem(version=version, user=u, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you")
                                  for u in learners for r, c in enumerate(courses, start=1)])


def _picks(user, storefront):
    request = RequestFactory().get("/")
    request.user = user
    return [i["course"].pk for i in platform_hooks.personal_course_picks(request, storefront, 4)]


def test_model_versions_are_an_arm_kind_with_the_active_version_first(shop):
    storefront, _courses = shop
    old, active = ModelVersionFactory(), ModelVersionFactory(is_active=True)
    ModelVersionFactory(sha256="")  # no saved model: not testable
    kind = arm_kinds()[KIND]
    assert [ref for ref, _label in kind.choices(storefront)] == [str(active.pk), str(old.pk)]
    assert "active" in kind.choices(storefront)[0][1]


def test_a_visitor_in_arm_b_gets_the_storefronts_picks_from_version_b_and_enrolments_carry_the_variant(shop):
    storefront, courses = shop
    learners = [UserFactory() for _ in range(12)]
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    _feeds(a, learners, courses[:4])
    _feeds(b, learners, courses[4:])
    experiment = experiments.experiment_create(storefront=storefront, actor=storefront.owner, name="Models",
                                               kind=KIND, arms=[str(a.pk), str(b.pk)])
    experiments.experiment_start(experiment=experiment, actor=storefront.owner)
    arms_seen = set()
    for learner in learners:
        variant = variant_for(experiment, f"u:{learner.pk}")
        version = a if variant.arm == str(a.pk) else b
        expected = courses[:4] if version == a else courses[4:]
        assert _picks(learner, storefront) == [c.pk for c in expected]
        arms_seen.add(variant.key)
        catalog.enroll(learner=learner, course=expected[0])
        enrol = Interaction.objects.get(user=learner, type=EventType.ENROLL)
        assert (enrol.experiment, enrol.variant) == (experiment.tag, variant.key)
    assert arms_seen == {"A", "B"}


def test_unknown_or_unsaved_versions_are_refused_as_arms(shop):
    storefront, _courses = shop
    a, unsaved = ModelVersionFactory(is_active=True), ModelVersionFactory(sha256="")
    for arms in ([str(a.pk), "999999"], [str(a.pk), str(unsaved.pk)], [str(a.pk), "x"]):
        with pytest.raises(ValidationError):
            experiments.experiment_create(storefront=storefront, actor=storefront.owner, name="Models", kind=KIND,
                                          arms=arms)


def test_starting_an_experiment_with_a_pruned_version_queues_its_feed_rebuild(shop,
                                                                              django_capture_on_commit_callbacks):
    storefront, _courses = shop
    a, pruned = ModelVersionFactory(is_active=True), ModelVersionFactory(feed_count=0)
    experiment = experiments.experiment_create(storefront=storefront, actor=storefront.owner, name="Models",
                                               kind=KIND, arms=[str(a.pk), str(pruned.pk)])
    with django_capture_on_commit_callbacks() as callbacks:
        experiments.experiment_start(experiment=experiment, actor=storefront.owner)
    assert callbacks  # the rebuild (recommender.materialise_feeds) is sent once the start commits


def test_only_staff_promote_a_winning_version(shop, staff):
    storefront, _courses = shop
    a, b = ModelVersionFactory(is_active=True), ModelVersionFactory()
    experiment = experiments.experiment_create(storefront=storefront, actor=storefront.owner, name="Models",
                                               kind=KIND, arms=[str(a.pk), str(b.pk)])
    experiments.experiment_start(experiment=experiment, actor=storefront.owner)
    with pytest.raises(ValidationError):
        experiments.experiment_promote(experiment=experiment, actor=storefront.owner, variant_key="B")
    assert ModelVersion.objects.get(is_active=True) == a
    message = experiments.experiment_promote(experiment=experiment, actor=staff, variant_key="B")
    assert ModelVersion.objects.get(is_active=True) == b and f"#{b.pk}" in message


def test_feeds_of_versions_a_running_experiment_serves_are_not_pruned(shop):
    storefront, courses = shop
    learner = UserFactory()
    old, *_newer, active = [ModelVersionFactory() for _ in range(4)] + [ModelVersionFactory(is_active=True)]
    _feeds(old, [learner], courses[:2])
    experiment = experiments.experiment_create(storefront=storefront, actor=storefront.owner, name="Models",
                                               kind=KIND, arms=[str(active.pk), str(old.pk)])
    experiments.experiment_start(experiment=experiment, actor=storefront.owner)
    prune_feeds(keep=1)
    assert FeedItem.objects.filter(version=old).count() == 2
    experiments.experiment_stop(experiment=experiment, actor=storefront.owner)
    prune_feeds(keep=1)
    assert not FeedItem.objects.filter(version=old).exists()
