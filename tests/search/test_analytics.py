"""Staff search analytics: top queries and queries without results, from the search log."""

import pytest

from courseplatform.search import services
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_top_and_zero_result_queries_for_staff(client):
    for query, results in [("python", 12), ("Python", 12), ("  python ", 3), ("rust", 0), ("rust", 0), ("cobol", 0)]:
        services.search_log(user=None, query=query, filters={}, results=results)
    client.force_login(StaffFactory())
    page = client.get("/staff/search/")
    assert page.status_code == 200
    top = page.context["top"]
    assert [(r["query"], r["searches"], r["zero"]) for r in top] == [("python", 3, 0), ("rust", 2, 2), ("cobol", 1, 1)]
    assert [(r["query"], r["searches"]) for r in page.context["zero"]] == [("rust", 2), ("cobol", 1)]
    assert page.context["totals"]["searches"] == 6


def test_analytics_is_for_staff_only_and_checks_days(client):
    assert client.get("/staff/search/")["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.get("/staff/search/").status_code == 403
    client.force_login(StaffFactory())
    assert client.get("/staff/search/", {"days": "0"}).status_code == 400
    assert client.get("/staff/search/", {"days": "x"}).status_code == 400
    assert client.get("/staff/search/", {"days": "7"}).status_code == 200


def test_staff_navigation_links_to_search_analytics(rf):
    from courseplatform import hooks

    request = rf.get("/")
    request.user = StaffFactory()
    assert any(link.url == "/staff/search/" for link in hooks.call_flat("staff_links", request=request))
