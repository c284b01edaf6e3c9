"""Brief → job on a real gpu-queue worker (Redis) → candidates → submit → approve → activate → themed page."""

import pytest
from django.urls import reverse

from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from themes.models import CoverBatch, PaletteJob

from .conftest import FAST_BRIEF

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_palette_flow_end_to_end_through_real_workers(start_worker, client, creator, reviewer, course):
    from themes import services

    start_worker("gpu", pool="solo")
    start_worker("default", pool="solo")
    storefront = course.storefront
    job, created = services.palette_job_request(storefront=storefront, actor=creator, brief=FAST_BRIEF)
    assert created
    job = wait_for(lambda: PaletteJob.objects.filter(pk=job.pk, status__in=[JobStatus.SUCCEEDED,
                                                                              JobStatus.FAILED]).first(), timeout=120)
    assert job.status == JobStatus.SUCCEEDED, job.reason
    assert job.device == "cpu" and job.progress == 1.0 and job.seconds > 0
    candidates = list(job.palettes.order_by("rank"))
    assert len(candidates) == 2

    client.force_login(creator)
    page = client.get(reverse("themes:palette_job", args=[job.pk])).content.decode()
    assert "contrast-table" in page and f"pv-{candidates[0].pk}" in page
    client.post(reverse("themes:palette_submit", args=[candidates[0].pk]))
    client.force_login(reviewer)
    assert candidates[0].storefront.name in client.get(reverse("themes:review_queue")).content.decode()
    client.post(reverse("themes:review_decide", args=[candidates[0].pk, "approve"]), {"note": "ok"})
    client.force_login(creator)
    client.post(reverse("themes:palette_activate", args=[candidates[0].pk]))
    candidates[0].refresh_from_db()
    assert candidates[0].status == "active"

    html = client.get(storefront.get_absolute_url()).content.decode()
    assert f"/s/{storefront.slug}/theme.css?v=" in html
    css = client.get(reverse("themes:theme_css", args=[storefront.slug])).content.decode()
    assert f"--c-primary: {candidates[0].colors['primary'].lower()};" in css

    batch = wait_for(lambda: CoverBatch.objects.filter(storefront=storefront, status=JobStatus.SUCCEEDED).first(),
                     timeout=120)
    assert batch.done == batch.total == 1
