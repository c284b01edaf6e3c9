"""GET /api/search: JSON results and facets, 400 with a clear message for bad parameters, throttled, in the
OpenAPI schema."""

import pytest
from django.core.cache import cache

from courseplatform.search.models import SearchLog

pytestmark = pytest.mark.django_db
URL = "/api/search"


def test_results_facets_and_positions(client, corpus):
    data = client.get(URL, {"q": "python", "language": "en", "sort": "price_asc"}).json()
    assert data["total"] == 5 and data["pages"] == 1 and data["corrected_query"] == ""
    assert [r["position"] for r in data["results"]] == [1, 2, 3, 4, 5]
    prices = [float(r["price"]) for r in data["results"]]
    assert prices == sorted(prices)
    assert {f["value"]: f["count"] for f in data["facets"]["language"]} == {"en": 5, "zh-hans": 2}
    assert data["results"][0]["url"].startswith("/courses/")
    assert SearchLog.objects.get().source == "api"


def test_typo_is_corrected_and_nothing_matching_gives_popular_courses(client, corpus):
    assert client.get(URL, {"q": "javscript"}).json()["corrected_query"] == "javascript"
    data = client.get(URL, {"q": "zzzz qqqq"}).json()
    assert data["total"] == 0 and data["results"] == [] and len(data["popular"]) == 8


@pytest.mark.parametrize(("params", "field"), [
    ({"sort": "random"}, "sort"), ({"page": "-3"}, "page"), ({"rating": "6"}, "rating"),
    ({"min_price": "abc"}, "min_price"), ({"min_price": "9", "max_price": "1"}, "max_price"),
    ({"category": "nope"}, "category"), ({"q": "q" * 101}, "q"), ({"level": "expert"}, "level"),
])
def test_bad_parameters_are_a_400_naming_the_field(client, corpus, params, field):
    response = client.get(URL, params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and body["detail"]


def test_bad_parameter_message_follows_the_language(client, corpus):
    response = client.get(URL, {"category": "nope"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "未知的分类" in response.json()["detail"]


def test_throttled_per_client(client, corpus, settings):
    cache.clear()
    settings.SEARCH_API_RATE = "3/min"
    statuses = [client.get(URL, {"q": "python"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    cache.clear()


def test_in_the_openapi_schema(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/search" in schema and "corrected_query" in schema and "price_desc" in schema
