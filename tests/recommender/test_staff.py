"""The staff page: versions with metrics, "Train now", one-click activation (rollback), runs with progress."""

import pytest
from django.test import Client
from django.urls import reverse

from recommender.models import ModelVersion, TrainingRun
from tests.factories import UserFactory
from tests.recommender.factories import ModelVersionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def staff_client(staff):
    client = Client(enforce_csrf_checks=False)
    client.force_login(staff)
    return client


def test_only_staff_see_the_page(client):
    url = reverse("recommender_staff:dashboard")
    assert client.get(url).status_code == 302  # to the log-in page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(reverse("recommender_staff:train")).status_code == 403
    assert TrainingRun.objects.count() == 0


def test_the_page_lists_versions_with_metrics_and_runs(staff_client):
    ModelVersionFactory(algorithm="ease", metrics={"ndcg@10": 0.4321, "recall@20": 0.5}, is_active=True)
    ModelVersionFactory(algorithm="pop", metrics={"ndcg@10": 0.1})
    TrainingRun.objects.create(algorithm="ease", progress=0.5, status="running")
    page = staff_client.get(reverse("recommender_staff:dashboard")).content.decode()
    assert "0.4321" in page and "pop" in page and "Train now" in page and 'value="50"' in page
    assert "hx-trigger" in page  # polls while a run is running
    assert "style=" not in page and "<script>" not in page


def test_train_now_queues_a_run_on_commit(staff_client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(reverse("recommender_staff:train"), {"algorithm": "itemknn", "forced": "on"})
    assert response.status_code == 302
    run = TrainingRun.objects.get()
    assert run.algorithm == "itemknn" and run.forced and run.requested_by == staff and run.status == "queued"
    assert len(callbacks) == 1  # the task is sent once the transaction commits
    staff_client.post(reverse("recommender_staff:train"), {"algorithm": "nonsense"})
    assert TrainingRun.objects.count() == 1


def test_activate_is_a_one_click_rollback(staff_client, staff):
    old = ModelVersionFactory()
    ModelVersionFactory(is_active=True)
    response = staff_client.post(reverse("recommender_staff:activate", args=[old.pk]))
    assert response.status_code == 302
    assert list(ModelVersion.objects.filter(is_active=True)) == [old]
    old.refresh_from_db()
    assert old.activated_by == staff
    assert staff_client.get(reverse("recommender_staff:activate", args=[old.pk])).status_code == 405


def test_staff_forms_need_a_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(reverse("recommender_staff:train")).status_code == 403


def test_admin_activate_action(staff_client):
    old = ModelVersionFactory()
    ModelVersionFactory(is_active=True)
    response = staff_client.post("/admin/recommender/modelversion/",
                                 {"action": "activate", "_selected_action": [old.pk]})
    assert response.status_code == 302
    assert ModelVersion.objects.get(is_active=True) == old
    assert staff_client.get("/admin/recommender/modelversion/").status_code == 200
    assert staff_client.get("/admin/recommender/trainingrun/").status_code == 200
