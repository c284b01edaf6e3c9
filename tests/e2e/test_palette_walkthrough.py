"""Creator → admin → learner in headless Chromium, with real workers; screenshots in var/screenshots/."""

import pytest

from courseplatform.jobs.models import JobStatus
from tests.conftest import log_in, wait_for
from tests.factories import CourseFactory
from themes.models import Palette, PaletteJob

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_creator_admin_learner_walkthrough(start_worker, live_server, new_page, screenshot_dir, creator, reviewer,
                                           learner, storefront):
    start_worker("gpu", pool="solo")
    start_worker("default", pool="solo")
    storefront.name, storefront.tagline = "Data Dojo", "Learn data by doing"
    storefront.save()
    CourseFactory(storefront=storefront, title="Practical Machine Learning", subtitle="From zero to models")
    CourseFactory(storefront=storefront, title="数据可视化实战", subtitle="用 Python 讲好数据故事", language="zh-hans")
    base = live_server.url

    # Creator: brief → job page with live progress → candidates → submit one.
    page = new_page()
    log_in(page, base, creator.username)
    page.goto(f"{base}/studio/storefronts/{storefront.slug}/palettes/")
    page.fill("input[name=color_1]", "#1E88E5")
    page.check("input[name=lock_1]")
    page.select_option("select[name=role_1]", "primary")
    page.fill("input[name=keywords]", "tech, trust, 科技")
    page.fill("input[name=candidates]", "3")
    page.click("form.brief-form button[type=submit]")
    page.wait_for_url("**/studio/palette-jobs/*/")
    job = PaletteJob.objects.get(storefront=storefront)
    wait_for(lambda: PaletteJob.objects.filter(pk=job.pk, status=JobStatus.SUCCEEDED).exists(), timeout=120)
    page.wait_for_selector("section.candidate", timeout=30_000)  # htmx polling swapped the candidates in
    page.screenshot(path=str(screenshot_dir / "1-creator-job-page.png"), full_page=True)
    assert page.locator("section.candidate").count() == 3
    assert page.locator(".contrast-table .badge.fail").count() == 0
    page.locator("section.candidate").first.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    palette = Palette.objects.get(job=job, status="submitted")

    # Admin: review queue → approve.
    admin_page = new_page()
    log_in(admin_page, base, reviewer.username)
    admin_page.goto(f"{base}/staff/palettes/")
    admin_page.screenshot(path=str(screenshot_dir / "2-admin-review-queue.png"), full_page=True)
    admin_page.fill("textarea[name=note]", "Good contrast, on brand.")
    admin_page.click("section.review-item button[type=submit]:not(.secondary)")
    admin_page.wait_for_load_state("networkidle")
    palette.refresh_from_db()
    assert palette.status == "approved"

    # Creator activates it.
    page.goto(f"{base}/studio/storefronts/{storefront.slug}/palettes/")
    page.click("form[action$='/activate/'] button")
    page.wait_for_load_state("networkidle")
    palette.refresh_from_db()
    assert palette.status == "active"

    # Learner: the themed storefront.
    learner_page = new_page()
    log_in(learner_page, base, learner.username)
    learner_page.goto(f"{base}/s/{storefront.slug}/")
    learner_page.wait_for_load_state("networkidle")
    primary = learner_page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--c-primary').trim()")
    assert primary == palette.colors["primary"].lower()
    learner_page.screenshot(path=str(screenshot_dir / "3-learner-themed-storefront.png"), full_page=True)
    learner_page.goto(f"{base}/s/{storefront.slug}/style-guide/")
    learner_page.screenshot(path=str(screenshot_dir / "4-style-guide.png"), full_page=True)

    for p in (page, admin_page, learner_page):
        assert p.csp_violations == [], p.csp_violations
