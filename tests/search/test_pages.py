"""The results page, autocomplete and click beacon: state in the URL, bad input 400, constant query count."""

import json

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courseplatform.search import services
from courseplatform.search.models import SearchClick, SearchLog
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = "/search/"


def test_results_page_lists_matches_with_facets_and_keeps_state_in_links(client, corpus):
    response = client.get(URL, {"q": "python", "level": "beginner"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Python for Beginners" in html and "Advanced Python" not in html
    # facet links keep the query and the other filters, and drop the page
    assert "?q=python&amp;level=beginner&amp;category=programming" in html
    # the selected level's link removes it
    assert 'href="?q=python" aria-current="true"' in html


def test_filters_narrow_results_and_facet_counts_ignore_their_own_filter(client, corpus):
    found = client.get(URL, {"q": "python", "language": "zh-hans"}).context["found"]
    assert {c.title for c in found.courses} == {"Python编程基础", "机器学习实战：从零开始构建模型"}
    languages = {f.value: f.count for f in found.facets["language"]}
    assert languages == {"en": 5, "zh-hans": 2}  # every language's count, for the same query


@pytest.mark.parametrize(("params", "titles"), [
    ({"category": "design", "price": "free"}, set()),
    ({"category": "design", "max_price": "30"}, {"Graphic Design Basics", "平面设计入门", "摄影技巧大全"}),
    ({"q": "python", "price": "free"}, {"Python for Beginners", "Python编程基础"}),
    ({"q": "python", "min_price": "40", "max_price": "60"}, {"Advanced Python: Concurrency and Performance",
                                                             "Machine Learning with Python"}),
    ({"q": "python", "level": "advanced"}, {"Advanced Python: Concurrency and Performance"}),
])
def test_filters(client, corpus, params, titles):
    found = client.get(URL, params).context["found"]
    assert {c.title for c in found.courses} == titles


def test_rating_filter_and_sort(client, corpus):
    from django.utils import timezone

    from courseplatform.catalog.models import Enrollment, Review

    for key, stars in (("js", 5), ("django", 3)):
        learner = UserFactory()
        Enrollment.objects.create(learner=learner, course=corpus[key], price_paid=0, created_at=timezone.now())
        Review.objects.create(learner=learner, course=corpus[key], rating=stars)
    services.refresh_stats([corpus["js"].pk, corpus["django"].pk])
    found = client.get(URL, {"category": "programming", "rating": "4"}).context["found"]
    assert [c.title for c in found.courses] == ["JavaScript Essentials"]
    found = client.get(URL, {"category": "programming", "sort": "rating"}).context["found"]
    assert [c.title for c in found.courses][:2] == ["JavaScript Essentials", "Django Web Development"]


@pytest.mark.parametrize(("sort", "key", "reverse"), [("price_asc", "price", False),
                                                    ("price_desc", "price", True),
                                                    ("newest", "created_at", True)])
def test_sorts(client, corpus, sort, key, reverse):
    found = client.get(URL, {"q": "python", "sort": sort}).context["found"]
    values = [getattr(c, key) for c in found.courses]
    assert len(values) == 7 and values == sorted(values, reverse=reverse)


@pytest.mark.parametrize("params", [
    {"sort": "cheapest"}, {"page": "0"}, {"page": "x"}, {"page": "100000"}, {"level": "guru"},
    {"min_price": "-1"}, {"min_price": "50", "max_price": "10"}, {"rating": "9"}, {"category": "no-such"},
    {"q": "x" * 101}, {"min_price": "NaN"}, {"language": "klingon"},
])
def test_bad_parameters_are_a_400_page_naming_the_problem(client, corpus, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_query_count_is_the_same_for_few_and_many_results(client, django_assert_max_num_queries, corpus, settings):
    """Database queries only: the cache is in memory as in production's Redis (the development database cache
    would count the covers' per-card cache reads, which the themes own)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "search-query-count"}}
    client.force_login(UserFactory())

    def count(params) -> int:
        client.get(URL, params)  # warm the caches the page reads (active model version, covers)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, params).status_code == 200
        return len(queries)

    few = count({"q": "django"})
    storefront = corpus["django"].storefront
    extra = [CourseFactory(title=f"Django course {n}", storefront=storefront, category=corpus["django"].category)
             for n in range(30)]
    services.index_courses(c.pk for c in extra)
    many = count({"q": "django"})
    assert client.get(URL, {"q": "django"}).context["found"].total == 31
    assert many == few
    filtered = {"q": "django", "category": "programming", "sort": "newest", "level": "intermediate"}
    client.get(URL, filtered)
    with django_assert_max_num_queries(few + 1):  # + the form's check that the category exists
        client.get(URL, filtered)


def test_page_one_is_logged_with_the_normalised_query_and_the_learner_only(client, corpus):
    learner = UserFactory()
    client.force_login(learner)
    client.get(URL, {"q": "  Python   BASICS ", "level": "beginner"})
    client.get(URL, {"q": "python", "page": "2"})  # a later page is not a new search
    log = SearchLog.objects.get()
    assert (log.query, log.user, log.filters) == ("python basics", learner, {"level": "beginner",
                                                                             "sort": "relevance"})
    assert not hasattr(log, "session_key") and not hasattr(log, "ip")


def test_anonymous_searches_are_logged_without_anyone(client, corpus):
    client.get(URL, {"q": "nothing like this"})
    log = SearchLog.objects.get()
    assert log.user is None and log.results == 0


def test_suggestions_complete_titles_and_categories(client, corpus):
    data = client.get("/search/suggest", {"q": "pyt"}).json()["suggestions"]
    assert data and all(s["kind"] == "course" for s in data)
    assert any(s["label"] == "Python for Beginners" and s["url"] == corpus["py-beginners"].get_absolute_url()
               for s in data)
    data = client.get("/search/suggest", {"q": "desi"}).json()["suggestions"]
    assert data[0] == {"label": "Design", "kind": "category", "url": "/search/?category=design",
                       "kind_label": "Category"}
    assert client.get("/search/suggest", {"q": "机器学"}).json()["suggestions"][0]["label"].startswith("机器学习")
    assert client.get("/search/suggest", {"q": ""}).json() == {"suggestions": []}
    assert client.get("/search/suggest", {"q": "y" * 101}).status_code == 400


def test_click_beacon_logs_a_click_once_and_an_interaction(corpus):
    from courseplatform.events.models import Interaction

    learner = UserFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(URL, {"q": "python"})
    token = page.cookies["csrftoken"].value
    assert f'data-log="{page.context["log_token"]}"' in page.content.decode()
    body = {"log": page.context["log_token"], "course": corpus["ml"].pk, "position": 3, "csrfmiddlewaretoken": token}
    assert client.post("/search/click", body).status_code == 204
    assert client.post("/search/click", body).status_code == 204
    assert SearchClick.objects.get().position == 3
    event = Interaction.objects.get(type="click")
    assert (event.user, event.course, event.surface, event.position) == (learner, corpus["ml"], "search", 3)


def test_click_on_someone_elses_search_is_ignored(client, corpus):
    other = UserFactory()
    log = services.search_log(user=other, query="python", filters={}, results=1)
    client.force_login(UserFactory())
    token = signing.dumps(log.pk, salt="search.click")  # even with a valid token for someone else's search
    assert client.post("/search/click", {"log": token, "course": corpus["ml"].pk, "position": 1}).status_code == 204
    assert not SearchClick.objects.exists()


def test_click_with_a_forged_or_bare_search_id_is_a_400(client, corpus):
    log = services.search_log(user=None, query="python", filters={}, results=1)
    for forged in (str(log.pk), signing.dumps(log.pk, salt="other"), "x:y"):
        response = client.post("/search/click", {"log": forged, "course": corpus["ml"].pk, "position": 1})
        assert response.status_code == 400
    assert not SearchClick.objects.exists()


@pytest.mark.parametrize("body", [{}, {"log": "x", "course": 1, "position": 1},
                                  {"log": "x", "course": 2**70, "position": 1}, {"log": "x", "course": 1, "position": 0}])
def test_click_with_bad_numbers_is_a_400(client, body):
    response = client.post("/search/click", body)
    assert response.status_code == 400 and "detail" in json.loads(response.content)


def test_chinese_page_is_translated(client, corpus):
    response = client.get("/zh-hans" + URL, {"q": "python"})
    assert response.status_code == 200
    assert "搜索课程" in response.content.decode()
