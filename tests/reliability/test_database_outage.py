"""The database unreachable for the event endpoint: 503 + Retry-After, never a 500, and no silent loss.

Unlike tests/recommender/test_events_api.py (which makes only the bulk insert fail), this takes the whole
connection away: every new connection attempt raises ``OperationalError``, so session loading, the throttle's
database cache and the insert all fail as they would with PostgreSQL stopped. When the database is back, the
client's retry of the same batch stores every event exactly once (idempotent on ``event_id``).

Related fault tests that live with their features (not duplicated here):
* GPU task on a machine without CUDA, and CUDA out of memory → CPU, said on the job:
  tests/themes/test_workflow.py::test_cuda_requested_on_a_machine_without_it_runs_on_cpu_and_says_so,
  ::test_cuda_out_of_memory_falls_back_to_cpu; tests/recommender/test_tasks.py::
  test_cuda_out_of_memory_falls_back_to_cpu_and_says_so.
* A training run producing a worse model is not activated:
  tests/recommender/test_training.py::test_first_version_activates_and_a_worse_one_does_not_unless_forced.
"""

import json
import uuid
from contextlib import contextmanager
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def database_down():
    """Drop the connection and refuse new ones, like a stopped or restarting PostgreSQL."""
    connection.close()
    with mock.patch.object(connection, "get_new_connection",
                           side_effect=OperationalError("connection to server at 127.0.0.1 refused")):
        yield
    connection.close()


def _batch(course, n=3):
    return {"events": [{"event_id": str(uuid.uuid4()), "type": "click", "course": course.pk,
                        "ts": timezone.now().isoformat(), "context": {"surface": "home", "position": i + 1}}
                       for i in range(n)]}


def _post(client, payload):
    return client.post("/api/events", json.dumps(payload), content_type="application/json")


@pytest.mark.parametrize("logged_in", [True, False], ids=["learner", "anonymous"])
def test_events_answer_503_with_retry_after_while_the_database_is_down(logged_in):
    course = CourseFactory()
    client = Client()
    if logged_in:
        client.force_login(UserFactory())
    batch = _batch(course)
    with database_down():
        response = _post(client, batch)
        feed = client.get("/api/feed")
    assert response.status_code == 503, response.content
    assert int(response["Retry-After"]) > 0 and "retry" in response.json()["detail"].lower()
    assert feed.status_code == 503 and int(feed["Retry-After"]) > 0
    assert Interaction.objects.count() == 0

    retried = _post(client, batch)  # the client retries the same batch after Retry-After
    assert retried.status_code == 200 and retried.json()["stored"] == 3
    assert _post(client, batch).json()["stored"] == 0, "a second retry stores nothing twice"
    assert Interaction.objects.count() == 3
