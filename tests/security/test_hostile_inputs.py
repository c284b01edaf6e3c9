"""Hostile query strings and headers get a clear 4xx, never a 500 or a header the attacker shaped."""

import pytest
from django.urls import reverse
from django.utils import timezone

from courseplatform.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("param", ["q", "category", "language"])
def test_a_nul_byte_in_a_catalogue_filter_is_a_400_with_a_message(client, param):
    response = client.get(reverse("catalog:home"), {param: "business\x00"})
    assert response.status_code == 400
    assert b"NUL" in response.content


def test_a_nul_byte_in_a_form_field_is_a_400(client):
    response = client.post(reverse("accounts:login"), {"username": "ada\x00", "password": "x"})
    assert response.status_code == 400


def test_a_nul_byte_in_an_api_query_is_a_json_400(client, learner):
    client.force_login(learner)
    response = client.get("/api/feed", {"limit": "5\x00"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


@pytest.mark.parametrize("by", ["course\r\nSet-Cookie: a=b", "x\";filename*=UTF-8''evil.html;x=\"", "nonsense"])
def test_the_analytics_export_refuses_unknown_by_values_instead_of_shaping_the_download_header(client, storefront, by):
    client.force_login(storefront.owner)
    response = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"by": by})
    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_the_analytics_export_names_its_file_from_known_values_only(client, storefront):
    client.force_login(storefront.owner)
    response = client.get(reverse("experiments:analytics_csv", args=[storefront.slug]), {"by": "variant"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{storefront.slug}-analytics-variant.csv"'


def test_healthz_shows_worker_host_names_to_staff_only(client, staff):
    WorkerHeartbeat.objects.create(queue="default", hostname="worker-7.internal", seen_at=timezone.now())
    public = client.get("/healthz").json()
    assert public["workers"]["default"].keys() == {"seen_s_ago"}
    client.force_login(staff)
    assert client.get("/healthz").json()["workers"]["default"]["hostname"] == "worker-7.internal"
