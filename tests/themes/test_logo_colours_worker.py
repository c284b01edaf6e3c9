"""Colours from the logo through a real gpu-queue worker (Redis): the creator asks in the studio, the worker runs
extract_colours on the uploaded logo, the studio fragment lists them and fills the brief on "Use these colours"."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from courseplatform.jobs.models import JobStatus
from tests.conftest import wait_for
from themes.models import LogoColours

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_logo_colours_through_a_real_worker(start_worker, client, creator, storefront):
    image = Image.new("RGBA", (80, 80), (0, 0, 0, 0))  # transparent field, an orange square
    image.paste((239, 108, 0, 255), (20, 20, 60, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    storefront.logo.save("logo.png", ContentFile(out.getvalue()), save=True)
    start_worker("gpu", pool="solo")
    client.force_login(creator)
    client.post(reverse("themes:logo_colours_request", args=[storefront.slug]))
    row = wait_for(lambda: LogoColours.objects.filter(storefront=storefront, status__in=[
        JobStatus.SUCCEEDED, JobStatus.FAILED]).first(), timeout=120)
    assert row.status == JobStatus.SUCCEEDED, row.reason
    assert row.colours[0]["hex"] == "#ef6c00" and row.colours[0]["share"] == 1.0
    page = client.get(reverse("themes:palette_studio", args=[storefront.slug]), {"logo": row.pk}).content.decode()
    assert 'name="color_1" value="#ef6c00"' in page
