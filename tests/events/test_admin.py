"""The interaction log's admin pages on a growing log: no query walks every row for the date links."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/events/interaction/"


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_changelist_filters_by_date_without_a_distinct_over_the_log(staff_client):
    course = CourseFactory()
    Interaction.objects.create(event_id=uuid.uuid4(), course=course, session_key="s", type="view", ts=timezone.now())
    Interaction.objects.create(event_id=uuid.uuid4(), course=course, session_key="s", type="click",
                               ts=timezone.now() - dt.timedelta(days=40))

    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get(URL)
    assert page.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "DISTINCT" in q["sql"].upper()]

    since = (timezone.now() - dt.timedelta(days=7)).isoformat(sep=" ")  # as the filter's "Past 7 days" link
    week = staff_client.get(URL, {"ts__gte": since})
    assert week.status_code == 200
    assert week.context["cl"].result_count == 1
