"""Issue 22, item 7: quotas per creator. Palette jobs: at most PALETTE_JOBS_MAX_CONCURRENT waiting or running and
PALETTE_JOBS_PER_HOUR per hour across all the creator's storefronts (a new creator queued 20 in 0.6 s and slowed
everyone's jobs); cover previews (rendered on the server): COVER_PREVIEWS_PER_MINUTE per user. Clear messages, 429."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from courseplatform.jobs.models import JobStatus
from tests.factories import StorefrontFactory
from themes import services
from themes.models import PaletteJob

from .conftest import FAST_BRIEF

pytestmark = pytest.mark.django_db


def brief(seed: int) -> dict:
    return {**FAST_BRIEF, "seed": seed}


def test_a_creator_cannot_queue_more_palette_jobs_than_the_concurrent_quota(settings, storefront, creator):
    settings.PALETTE_JOBS_MAX_CONCURRENT, settings.PALETTE_JOBS_PER_HOUR = 2, 100
    second_shop = StorefrontFactory(owner=creator)
    services.palette_job_request(storefront=storefront, actor=creator, brief=brief(1))
    services.palette_job_request(storefront=second_shop, actor=creator, brief=brief(2))  # the quota is per creator
    with pytest.raises(services.QuotaExceeded) as refused:
        services.palette_job_request(storefront=storefront, actor=creator, brief=brief(3))
    assert "2 palette jobs waiting or running" in refused.value.message
    # the same brief again is the running job, not a new one: no quota needed
    assert services.palette_job_request(storefront=storefront, actor=creator, brief=brief(1))[1] is False
    PaletteJob.objects.filter(brief__seed=1).update(status=JobStatus.SUCCEEDED)
    assert services.palette_job_request(storefront=storefront, actor=creator, brief=brief(3))[1] is True


def test_a_creator_cannot_request_more_palette_jobs_per_hour_than_the_quota(settings, storefront, creator,
                                                                            other_creator):
    settings.PALETTE_JOBS_MAX_CONCURRENT, settings.PALETTE_JOBS_PER_HOUR = 100, 3
    for seed in range(3):
        services.palette_job_request(storefront=storefront, actor=creator, brief=brief(seed))
    PaletteJob.objects.update(status=JobStatus.SUCCEEDED)
    with pytest.raises(services.QuotaExceeded) as refused:
        services.palette_job_request(storefront=storefront, actor=creator, brief=brief(9))
    assert "in the last hour" in refused.value.message and refused.value.retry_after_s > 0
    other_shop = StorefrontFactory(owner=other_creator)
    assert services.palette_job_request(storefront=other_shop, actor=other_creator, brief=brief(9))[1]  # own quota
    PaletteJob.objects.filter(storefront=storefront).update(created_at=timezone.now() - timedelta(minutes=61))
    assert services.palette_job_request(storefront=storefront, actor=creator, brief=brief(9))[1]


def test_the_studio_answers_429_with_the_message_when_the_quota_is_used(client, settings, storefront, creator):
    settings.PALETTE_JOBS_MAX_CONCURRENT = 1
    client.force_login(creator)
    url = reverse("themes:palette_studio", args=[storefront.slug])
    form = {"color_1": "#1E88E5", "lock_1": "on", "role_1": "primary", "keywords": "tech", "k": 6,
            "alpha": 1, "beta": 1, "gamma": 1, "candidates": 3}
    assert client.post(url, {**form, "seed": 0}).status_code == 302
    refused = client.post(url, {**form, "seed": 1})
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "palette jobs waiting or running" in refused.content.decode()
    assert PaletteJob.objects.count() == 1


@pytest.mark.parametrize("view", ["live", "saved"])
def test_cover_previews_are_throttled_per_user_with_a_clear_message(client, settings, storefront, creator, course,
                                                                    other_creator, view):
    cache.clear()
    settings.COVER_PREVIEWS_PER_MINUTE = 3
    if view == "live":
        url = reverse("themes:cover_live_preview", args=[storefront.slug]) + "?layout=split&title=Hi"
    else:
        url = reverse("themes:cover_preview", args=[course.pk]) + "?layout=split"
    client.force_login(creator)
    codes = [client.get(url).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = client.get(url)
    assert "Too many cover previews" in refused.content.decode() and 1 <= int(refused["Retry-After"]) <= 60
    other_shop = StorefrontFactory(owner=other_creator)
    client.force_login(other_creator)  # another user has their own budget
    other = reverse("themes:cover_live_preview", args=[other_shop.slug]) + "?layout=split&title=Hi"
    assert client.get(other).status_code == 200
    cache.clear()
