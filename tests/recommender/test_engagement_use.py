"""Engagement prediction used, not only shown: a version's materialised feeds are re-ranked by the P(enrol) blend
only when its stored offline replay says the blend beat the plain score on the later feeds; the staff page says
which."""

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from courseplatform.catalog.models import Course
from recommender.engine.engagement import FEATURES, EngagementModel
from recommender.models import FeedItem
from recommender.training import rematerialise, train_version
from tests.recommender.factories import catalogue, planted_interactions

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    _categories, courses = catalogue(n_categories=4, per_category=4)
    planted_interactions(courses, n_learners=32)
    Course.objects.filter(pk__in=[c.pk for c in courses[1::2]]).update(price=100)
    Course.objects.filter(pk__in=[c.pk for c in courses[0::2]]).update(price=0)
    return train_version(algorithm="ease", device="cpu")


def _replay(use: bool) -> dict:
    """A stored replay whose engagement model predicts enrolments in free courses only."""
    coef = np.zeros(len(FEATURES))
    coef[FEATURES.index("price")] = -5.0
    model = EngagementModel(coef=coef, intercept=0.0)
    return {"use": use, "weight": 2.0, "holdout_base": 0.2, "holdout_blend": 0.3 if use else 0.1,
            "metric": "ndcg@10", "model": model.to_dict(),
            "scale": {"base_mean": 0.0, "base_std": 1.0, "p_mean": 0.25, "p_std": 0.25}}


def _feeds(version) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for user_id, course_id in FeedItem.objects.filter(version=version).order_by("user_id", "rank").values_list(
            "user_id", "course_id"):
        out.setdefault(user_id, []).append(course_id)
    return out


def _free_first(feeds: dict[int, list[int]]) -> bool:
    free = set(Course.objects.filter(price=0).values_list("id", flat=True))
    return all(all(c in free for c in feed[:sum(c in free for c in feed)]) for feed in feeds.values())


def _page(staff) -> str:
    client = Client()
    client.force_login(staff)
    return client.get(reverse("recommender_staff:dashboard")).content.decode()


def test_feeds_are_re_ranked_by_the_blend_when_the_replay_says_it_helps(version, staff):
    plain = _feeds(version)
    assert not _free_first(plain)  # the model alone mixes free and paid courses
    version.metrics = {**version.metrics, "engagement": {"roc_auc": 0.7, "pr_auc": 0.3, "n": 500, "positives": 40,
                                                         "replay": _replay(use=True)}}
    version.save(update_fields=["metrics"])
    assert version.engagement_blend()["weight"] == 2.0
    rematerialise(version)
    blended = _feeds(version)
    assert {u: sorted(f) for u, f in blended.items()} == {u: sorted(f) for u, f in plain.items()}  # same candidates
    assert _free_first(blended) and blended != plain
    assert "P(enrol) blend used in the feeds (weight 2.00)" in _page(staff)


def test_feeds_keep_the_model_order_when_the_replay_says_the_blend_does_not_help(version, staff):
    plain = _feeds(version)
    version.metrics = {**version.metrics, "engagement": {"roc_auc": 0.7, "pr_auc": 0.3, "n": 500, "positives": 40,
                                                         "replay": _replay(use=False)}}
    version.save(update_fields=["metrics"])
    assert version.engagement_blend() is None
    rematerialise(version)
    assert _feeds(version) == plain
    assert "P(enrol) blend not used" in _page(staff)
