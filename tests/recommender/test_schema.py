"""The OpenAPI schema documents the events and feed APIs and generates without warnings or errors."""

import pytest
from django.urls import include, path


def test_schema_generates_without_warnings(capsys):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    generator = SchemaGenerator(patterns=[path("api/", include("courseplatform.events.urls")),
                                          path("api/", include("recommender.urls"))])
    schema = generator.get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS  # no warnings, no errors
    assert "Warning" not in capsys.readouterr().err
    paths = schema["paths"]
    assert set(paths) >= {"/api/events", "/api/feed"}
    events = paths["/api/events"]["post"]
    assert {"200", "400", "403", "429", "503"} <= set(events["responses"])
    assert "EventBatch" in str(events["requestBody"])
    feed = paths["/api/feed"]["get"]
    assert [p["name"] for p in feed["parameters"]] == ["limit"]


@pytest.mark.django_db
def test_schema_is_served(client):
    response = client.get("/api/schema")
    assert response.status_code == 200
    assert b"/api/events" in response.content
