"""The recommender's answer to ``search_personal_scores``: the learner's feed rank under the active version."""

import pytest
from django.core.cache import cache

from courseplatform.search import selectors
from recommender.models import FeedItem, ModelVersion
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_scores_come_from_the_active_versions_feed_ranks():
    cache.clear()
    learner, other = UserFactory(), UserFactory()
    a, b, c = CourseFactory(), CourseFactory(), CourseFactory()
    old = ModelVersion.objects.create(algorithm="popular", is_active=False)
    version = ModelVersion.objects.create(algorithm="popular", is_active=True)
    FeedItem.objects.bulk_create([
        FeedItem(version=version, user=learner, course=a, rank=1, score=9.0, reason_code="popular"),
        FeedItem(version=version, user=learner, course=b, rank=4, score=3.0, reason_code="popular"),
        FeedItem(version=old, user=learner, course=c, rank=1, score=9.0, reason_code="popular"),
        FeedItem(version=version, user=other, course=c, rank=1, score=9.0, reason_code="popular"),
    ])
    assert selectors.personal_scores(learner, [a.pk, b.pk, c.pk]) == {a.pk: 1.0, b.pk: 0.5}
    assert selectors.personal_scores(UserFactory(), [a.pk]) == {}
    cache.clear()


def test_no_active_version_no_scores():
    cache.clear()
    assert selectors.personal_scores(UserFactory(), [CourseFactory().pk]) == {}
