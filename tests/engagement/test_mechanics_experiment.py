"""Polls and challenges on/off as an arm kind of the experiments framework: visitors in the "off" arm see no poll
panel nor poll section, those in "on" do; their enrolments carry the variant (the framework's outcome)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from courseplatform.catalog import services as catalog
from courseplatform.engagement import services
from courseplatform.engagement.experiment_arms import KIND
from courseplatform.engagement.models import GoalKind, Poll
from courseplatform.events.models import EventType, Interaction
from courseplatform.experiments import services as experiments
from courseplatform.experiments.selectors import arm_kinds, variant_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def running(storefront, creator, free_course):
    services.poll_create(storefront=storefront, actor=creator, question="Which topic next?", options=["A", "B"],
                         course=free_course)
    services.challenge_create(storefront=storefront, actor=creator, title="Weekly sprint", goal=GoalKind.LESSONS,
                              target=2, course=free_course, ends_at=timezone.now() + timedelta(days=5))
    experiment = experiments.experiment_create(storefront=storefront, actor=creator, name="Mechanics",
                                               kind=KIND, arms=["on", "off"])
    return experiments.experiment_start(experiment=experiment, actor=creator)


def test_mechanics_are_an_arm_kind_with_on_first(storefront):
    kind = arm_kinds()[KIND]
    assert [ref for ref, _label in kind.choices(storefront)] == ["on", "off"]
    with pytest.raises(ValidationError):
        kind.check(storefront, ["on", "sometimes"])


def test_the_off_arm_hides_polls_and_challenges_and_enrolments_carry_the_variant(running, free_course):
    seen = set()
    for _ in range(14):
        learner = UserFactory()
        client = Client()
        client.force_login(learner)
        variant = variant_for(running, f"u:{learner.pk}")
        page = client.get(free_course.get_absolute_url()).content.decode()
        shown = "Which topic next?" in page and "Weekly sprint" in page
        assert shown == (variant.arm == "on"), variant.arm
        catalog.enroll(learner=learner, course=free_course)
        enrol = Interaction.objects.get(user=learner, type=EventType.ENROLL)
        assert (enrol.experiment, enrol.variant) == (running.tag, variant.key)
        seen.add(variant.arm)
    assert seen == {"on", "off"}


def test_promoting_off_closes_the_open_polls(running, creator, storefront):
    experiments.experiment_stop(experiment=running, actor=creator)
    message = experiments.experiment_promote(experiment=running, actor=creator, variant_key="B")
    assert "closed" in message and not Poll.objects.filter(storefront=storefront, closed=False).exists()
