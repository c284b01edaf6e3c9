"""The data export: what the archive holds, who may download it, expiry, progress, and the real worker."""

import io
import json
import time
import zipfile
from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.models import Review
from courseplatform.events.models import Interaction
from courseplatform.pages.models import NewsletterSignup
from courseplatform.privacy import services, views
from courseplatform.privacy.models import DataExport, ExportStatus
from tests.conftest import wait_for
from tests.factories import CourseFactory, EnrollmentFactory, StorefrontFactory, UserFactory

from .conftest import paid_order


def _archive(response) -> dict:
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return {name: json.loads(archive.read(name)) for name in archive.namelist()}


def _ready_export(user) -> DataExport:
    export = DataExport.objects.create(user=user)
    return services.export_build(export.pk)


def _download_url(export) -> str:
    return reverse("privacy:export_download", args=[views.download_token(export)])


def test_the_archive_holds_the_persons_data_from_every_app(client):
    creator = UserFactory(role="creator", display_name="Grace")
    shop = StorefrontFactory(owner=creator, name="Grace's shop")
    own_course = CourseFactory(storefront=shop, title="Compilers")
    bought = CourseFactory(title="Algebra")
    EnrollmentFactory(learner=creator, course=bought)
    paid_order(creator, bought)
    Review.objects.create(learner=creator, course=bought, rating=5, text="Loved it")
    Interaction.objects.create(user=creator, course=bought, type="view", ts=timezone.now())
    NewsletterSignup.objects.create(storefront=shop, email=creator.email.upper())
    stranger = UserFactory()
    Review.objects.create(learner=stranger, course=bought, rating=1, text="Someone else's")

    export = _ready_export(creator)
    assert export.status == ExportStatus.READY and export.progress == 100
    client.force_login(creator)
    data = _archive(client.get(_download_url(export)))
    assert data["account.json"]["display_name"] == "Grace" and "password" not in data["account.json"]
    assert [r["course_id"] for r in data["catalog.enrollment.learner.json"]] == [bought.pk]
    assert data["commerce.order.learner.json"][0]["course_id"] == bought.pk
    assert data["commerce.payment.json"][0]["billing_email"] == "ada@example.com"
    assert [r["text"] for r in data["catalog.review.learner.json"]] == ["Loved it"]
    assert data["events.interaction.user.json"][0]["type"] == "view"
    assert [r["name"] for r in data["catalog.storefront.owner.json"]] == ["Grace's shop"]
    assert [r["title"] for r in data["catalog.course.owned.json"]] == ["Compilers"]
    assert own_course.pk in {r["id"] for r in data["catalog.course.owned.json"]}
    assert "pages.newslettersignup.email.json" not in data  # by address only: see test_unverified_email_leak
    assert "plugin.themes.palettes.json" in data and "plugin.recommender.feed.json" in data
    assert {s["name"] for s in data["manifest.json"]["sections"]} >= {"account", "catalog.review.learner"}


def test_a_learner_cannot_download_someone_elses_archive(client):
    owner, other = UserFactory(), UserFactory()
    export = _ready_export(owner)
    client.force_login(other)
    assert client.get(_download_url(export)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    export = _ready_export(UserFactory())
    response = client.get(_download_url(export))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_an_expired_archive_link_is_refused(client):
    owner = UserFactory()
    export = _ready_export(owner)
    url = _download_url(export)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(owner)
    assert client.get(url).status_code == 410


def test_an_old_signed_link_is_refused_even_for_a_live_export(client, settings):
    owner = UserFactory()
    export = _ready_export(owner)
    client.force_login(owner)
    settings.PRIVACY_EXPORT_TTL_HOURS = 0.0001  # the link's signature is older than this
    old = signing.dumps(str(export.token), salt=views.DOWNLOAD_SALT)
    time.sleep(0.5)
    assert client.get(reverse("privacy:export_download", args=[old])).status_code == 410


def test_a_forged_link_is_not_found(client):
    owner = UserFactory()
    export = _ready_export(owner)
    client.force_login(owner)
    forged = signing.dumps(str(export.token), salt="another-salt")
    assert client.get(reverse("privacy:export_download", args=[forged])).status_code == 404


def test_expiry_deletes_the_file_and_marks_the_export(django_capture_on_commit_callbacks):
    from courseplatform.learning.storage import private_storage

    export = _ready_export(UserFactory())
    assert private_storage.exists(export.file_name)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.exports_expire(now=export.expires_at + timedelta(seconds=1)) == 1
    export.refresh_from_db()
    assert export.status == ExportStatus.EXPIRED and not private_storage.exists(f"exports/{export.token}.zip")


def test_the_privacy_page_shows_progress_then_the_link(client):
    owner = UserFactory()
    client.force_login(owner)
    export = DataExport.objects.create(user=owner, status=ExportStatus.RUNNING, progress=40)
    fragment = client.get(reverse("privacy:export_status")).content.decode()
    assert 'value="40"' in fragment and 'hx-trigger="every 2s"' in fragment
    DataExport.objects.filter(pk=export.pk).update(status=ExportStatus.QUEUED)
    services.export_build(export.pk)
    page = client.get(reverse("privacy:settings")).content.decode()
    assert "/download/" in page and "hx-trigger" not in page


def test_asking_twice_while_one_is_being_built_queues_one(client, django_capture_on_commit_callbacks):
    owner = UserFactory()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:export_request"))
        client.post(reverse("privacy:export_request"))
    assert DataExport.objects.filter(user=owner).count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_archive_the_owner_downloads(client, start_worker, settings):
    owner = UserFactory()
    EnrollmentFactory(learner=owner)
    start_worker("default", extra_env={"LEARNING_MEDIA_ROOT": str(settings.LEARNING_MEDIA_ROOT)}).wait_ready()
    client.force_login(owner)
    assert client.post(reverse("privacy:export_request")).status_code == 302
    export = wait_for(lambda: DataExport.objects.filter(user=owner, status=ExportStatus.READY).first(), timeout=90)
    data = _archive(client.get(_download_url(export)))
    assert len(data["catalog.enrollment.learner.json"]) == 1


def test_a_learner_cannot_have_someone_elses_data_exported_or_see_its_status(client, django_capture_on_commit_callbacks):
    owner, attacker = UserFactory(), UserFactory()
    _ready_export(owner)
    client.force_login(attacker)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("privacy:export_request"), {"user": owner.pk, "user_id": owner.pk})
    assert list(DataExport.objects.filter(user=attacker).values_list("status", flat=True)) == [ExportStatus.QUEUED]
    assert DataExport.objects.filter(user=owner).count() == 1
    status = client.get(reverse("privacy:export_status")).content.decode()
    assert "/download/" not in status  # the attacker sees only their own export, still queued


def test_the_ready_archive_line_ends_with_one_full_stop_after_an_a_m_time(client):
    owner = UserFactory()
    export = _ready_export(owner)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now().replace(hour=5, minute=2)
                                                   + timedelta(days=2))
    client.force_login(owner)
    page = client.get(reverse("privacy:settings")).content.decode()
    assert "the link works until" in page and "a.m.." not in page
