"""HTML/CSS injection: brand keywords, review notes and course titles reach the job page, the review queue and
the style guide escaped, never as markup, and never reach a stylesheet."""

import html

import pytest
from django.urls import reverse

from courseplatform.jobs.models import JobStatus
from tests.factories import CourseFactory
from themes.models import PaletteJob

pytestmark = pytest.mark.django_db

PAYLOADS = ["</style><script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


def assert_escaped(page: str, payload: str) -> None:
    assert payload not in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert html.escape(payload) in page  # shown to the reader as the text they typed


def _brief_form(keywords: str) -> dict:
    return {"color_1": "#1E88E5", "lock_1": "on", "role_1": "primary", "keywords": keywords, "k": 6,
            "alpha": 1, "beta": 1, "gamma": 1, "candidates": 2, "seed": 0}


def _finished_job_with_candidate(client, storefront, make_palette, keywords: str):
    """A job requested through the brief form, finished with one candidate submitted for review."""
    response = client.post(reverse("themes:palette_studio", args=[storefront.slug]), _brief_form(keywords))
    assert response.status_code == 302
    job = PaletteJob.objects.get(storefront=storefront)
    assert keywords in job.brief["keywords"]  # the payload is stored as typed: escaping is the templates' job
    PaletteJob.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED, progress=1.0,
                                                unknown_keywords=[keywords])
    return job, make_palette(status="submitted", job=job)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_brand_keywords_are_escaped_on_the_job_page_and_in_the_review_queue(client, creator, staff, storefront,
                                                                           make_palette, payload):
    client.force_login(creator)
    job, palette = _finished_job_with_candidate(client, storefront, make_palette, payload)
    for name in ("themes:palette_job", "themes:palette_job_progress"):
        assert_escaped(client.get(reverse(name, args=[job.pk])).content.decode(), payload)

    client.force_login(staff)
    queue = client.get(reverse("themes:review_queue")).content.decode()
    assert reverse("themes:review_decide", args=[palette.pk, "approve"]) in queue
    assert_escaped(queue, payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_brand_keywords_of_the_storefront_are_escaped_in_the_brief_form(client, creator, storefront, payload):
    storefront.brand_keywords = [payload]
    storefront.save()
    client.force_login(creator)
    assert_escaped(client.get(reverse("themes:palette_studio", args=[storefront.slug])).content.decode(), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_review_note_is_escaped_where_the_creator_reads_it(client, creator, reviewer, storefront, make_palette,
                                                              payload):
    client.force_login(creator)
    job, palette = _finished_job_with_candidate(client, storefront, make_palette, "tech")
    client.force_login(reviewer)
    response = client.post(reverse("themes:review_decide", args=[palette.pk, "reject"]), {"note": payload})
    assert response.status_code == 302
    assert palette.transitions.get(to_status="rejected").note == payload

    client.force_login(creator)
    job_page = client.get(reverse("themes:palette_job", args=[job.pk])).content.decode()
    assert 'class="review-note"' in job_page
    assert_escaped(job_page, payload)
    assert_escaped(client.get(reverse("themes:palette_studio", args=[storefront.slug])).content.decode(), payload)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_course_titles_in_the_palette_previews_are_escaped(client, creator, staff, storefront, make_palette,
                                                           payload):
    CourseFactory(storefront=storefront, title=payload)
    client.force_login(creator)
    job, palette = _finished_job_with_candidate(client, storefront, make_palette, "tech")
    job_page = client.get(reverse("themes:palette_job", args=[job.pk])).content.decode()
    assert 'class="pv-course-title"' in job_page  # the preview shows a real course of the storefront
    assert_escaped(job_page, payload)

    client.force_login(staff)
    assert_escaped(client.get(reverse("themes:review_queue")).content.decode(), payload)

    make_palette(status="active")
    client.logout()
    style_guide = client.get(reverse("themes:style_guide", args=[storefront.slug])).content.decode()
    assert_escaped(style_guide, payload)
    css = client.get(reverse("themes:theme_css", args=[storefront.slug])).content.decode()
    assert "alert" not in css and "<" not in css and '"' not in css


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injected_text_never_reaches_the_preview_stylesheet(client, creator, storefront, make_palette, payload):
    storefront.name, storefront.brand_keywords = payload, [payload]
    storefront.save()
    CourseFactory(storefront=storefront, title=payload)
    palette = make_palette(status="proposed")
    client.force_login(creator)
    css = client.get(reverse("themes:preview_css") + f"?ids={palette.pk}").content.decode()
    assert f".pv-{palette.pk} {{" in css
    assert "alert" not in css and "<" not in css and '"' not in css
