"""Issue 22, items 5 and 9: the events API answers hostile bodies in JSON with a 4xx: JSON nested 5,000 deep
(a RecursionError 500 before), a 10k-event batch over the body limit (an HTML 400 and a reset connection
before: the server now reads the body before answering)."""

import http.client
import json
import uuid
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"events": ' + "[" * 5000 + "]" * 5000 + "}",
                                  '{"events": [' + '{"a":' * 5000 + "1" + "}" * 5000 + "]}"])
def test_json_nested_five_thousand_deep_is_a_json_400_not_a_500(client, body):
    response = client.post("/api/events", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert "nested too deeply" in response.json()["detail"]


def _batch(n: int, course_id: int) -> bytes:
    now = timezone.now().isoformat()
    return json.dumps({"events": [{"event_id": str(uuid.uuid4()), "type": "click", "course": course_id, "ts": now,
                                   "context": {"surface": "home", "position": 1}} for _ in range(n)]}).encode()


def test_a_ten_thousand_event_batch_is_a_json_400_read_to_the_end_not_a_reset_connection(live_server, settings):
    course = CourseFactory()
    body = _batch(10_000, course.pk)
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    url = urlparse(live_server.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("GET", "/api/feed?limit=1")  # sets the csrftoken cookie, as the beacon's page does
        first = connection.getresponse()
        first.read()
        token = first.getheader("Set-Cookie").split("csrftoken=")[1].split(";")[0]
        connection.request("POST", "/api/events", body=body, headers={
            "Content-Type": "application/json", "Cookie": f"csrftoken={token}", "X-CSRFToken": token})
        response = connection.getresponse()  # a reset connection raises here (or while sending)
        payload = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 400 and response.getheader("Content-Type") == "application/json"
    assert "too large" in payload["detail"] and "fewer events" in payload["detail"]


def test_a_batch_over_the_event_limit_but_under_the_size_limit_is_a_json_400(client):
    client.force_login(UserFactory())
    response = client.post("/api/events", _batch(501, CourseFactory().pk), content_type="application/json")
    assert response.status_code == 400 and "At most 500 events" in response.json()["detail"]
