"""Issue 22, item 4: ``GET /api/feed?limit=50`` wrote 50 impression rows per call, so a polling client (or an
attacker) grew the log and skewed the engagement data without bound. The same feed shown again within the window
logs nothing; a feed that shows a new course logs its list once, positions intact."""

import pytest
from django.test import Client

from courseplatform.events.models import Interaction
from recommender.models import FeedItem
from tests.factories import CourseFactory, UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = pytest.mark.django_db


def test_polling_the_feed_does_not_write_an_impression_row_per_course_per_call():
    learner = UserFactory()
    courses = [CourseFactory() for _ in range(12)]
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    FeedItem.objects.bulk_create([FeedItem(version=version, user=learner, course=c, rank=r, score=1.0 / r,
                                           reason_code="for_you") for r, c in enumerate(courses, start=1)])
    client = Client()
    client.force_login(learner)
    for _ in range(20):
        assert client.get("/api/feed?limit=10").status_code == 200
    rows = Interaction.objects.filter(user=learner, type="impression")
    assert rows.count() == 10
    assert sorted(rows.values_list("position", flat=True)) == list(range(1, 11))
    for limit in (5, 8, 3):  # a shorter list of courses already shown: nothing new
        client.get(f"/api/feed?limit={limit}")
    assert rows.count() == 10
    client.get("/api/feed?limit=12")  # two courses not shown yet: the list is logged once more
    assert rows.count() == 22
    client.get("/api/feed?limit=12")
    assert rows.count() == 22
    other = Client()
    other.force_login(UserFactory())  # another visitor is counted on their own
    other.get("/api/feed?limit=3")
    assert Interaction.objects.filter(type="impression").exclude(user=learner).count() == 3
