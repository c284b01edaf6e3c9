"""Issue 22, item 10: the activation gate's tolerance (RECOMMENDER_GATE_TOLERANCE) exercised with a non-zero value:
a new version within the tolerance below the active one is "not worse", one beyond it is refused, and with no
tolerance the first is refused too (so dropping, flipping or ignoring the tolerance fails here)."""

import pytest

from recommender import services
from tests.recommender.factories import ModelVersionFactory
from tests.recommender.test_notes import gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def active():
    return ModelVersionFactory(algorithm="ease", metrics={"ndcg@10": 0.25}, is_active=True)


@pytest.mark.parametrize(("tolerance", "candidate", "activated"), [
    (0.02, 0.235, True),   # 0.015 worse: inside the tolerance
    (0.02, 0.2201, False),  # 0.0299 worse: beyond it
    (0.0, 0.235, False),   # no tolerance: any drop is refused
    (0.02, 0.26, True),
])
def test_a_new_version_within_the_gate_tolerance_below_the_active_one_is_accepted(settings, active, tolerance,
                                                                                   candidate, activated):
    settings.RECOMMENDER_GATE_TOLERANCE = tolerance
    new = gate(ModelVersionFactory(metrics={"ndcg@10": candidate}), same_split=(candidate, 0.25), active=active)
    ok, note = services.version_is_not_worse(new, active)
    assert ok is activated, note


def test_the_tolerance_applies_to_stored_metrics_from_other_splits_too(settings, active):
    settings.RECOMMENDER_GATE_TOLERANCE = 0.05
    assert services.version_is_not_worse(ModelVersionFactory(metrics={"ndcg@10": 0.21}), active)[0]
    assert not services.version_is_not_worse(ModelVersionFactory(metrics={"ndcg@10": 0.19}), active)[0]
