"""Pages rendered for a signed-in person are marked private so no shared cache hands them to someone else."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["storefront", "course", "home"])
def test_a_signed_in_learners_pages_are_private(client, learner, course, name):
    args = {"storefront": [course.storefront.slug], "course": [course.pk], "home": []}[name]
    client.force_login(learner)
    response = client.get(reverse(f"catalog:{name}", args=args))
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_an_anonymous_visitors_page_is_not_marked_private(client, course):
    response = client.get(reverse("catalog:storefront", args=[course.storefront.slug]))
    assert "private" not in response.get("Cache-Control", "")


def test_a_response_that_chose_its_own_policy_keeps_it(client, learner):
    client.force_login(learner)
    response = client.get("/healthz")  # never_cache sets its own Cache-Control
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_a_view_that_never_reads_the_session_does_not_pay_for_loading_the_user(client, learner,
                                                                               django_assert_num_queries):
    client.force_login(learner)
    with django_assert_num_queries(0):
        response = client.get("/i18n/setlang/")  # a redirect that reads no session
    assert "private" not in response.get("Cache-Control", "")
