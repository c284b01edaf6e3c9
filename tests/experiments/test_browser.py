"""Browser walk-through of the experiment page in headless Chromium; screenshots in var/screenshots/."""

import datetime as dt
import random

import pytest
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from courseplatform.events.models import Interaction
from tests.conftest import log_in
from tests.factories import CourseFactory, EnrollmentFactory
from themes.experiment_arms import weights_refit

from .conftest import DARK, LIGHT, LIGHT_B

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _history(course, n: int = 40) -> None:
    """Enrolments by real learners over the past weeks, for the analytics charts."""
    rng = random.Random(4)
    for _ in range(n):
        EnrollmentFactory(course=course, created_at=timezone.now() - dt.timedelta(days=rng.randint(0, 40)))


def _simulate(experiment, course, n: int, rates: dict) -> None:
    """Simulated visitors; those who enrol are learners with a real enrolment (only those count as outcomes)."""
    from courseplatform.accounts.models import User
    from courseplatform.catalog.models import Enrollment

    rng, rows, enrolments = random.Random(8), [], []
    for key, (click, enrol) in rates.items():
        for v in range(n):
            u, ts = rng.random(), experiment.started_at + dt.timedelta(milliseconds=v + 1)  # one after another
            who = {"session_key": f"sim-{key}-{v}"}
            if u < enrol:
                learner = User.objects.create(username=f"sim-{key}-{v}")
                enrolments.append(Enrollment(learner=learner, course=course, price_paid=course.price, created_at=ts))
                who = {"user": learner}
            common = dict(course=course, ts=ts, experiment=experiment.tag, variant=key, **who)
            rows.append(Interaction(type="impression", surface="storefront", position=1, **common))
            if u < click:
                rows.append(Interaction(type="view", surface="course_page", **common))
            if u < enrol:
                rows.append(Interaction(type="enroll", **common))
    Enrollment.objects.bulk_create(enrolments)
    Interaction.objects.bulk_create(rows)
    Interaction.objects.filter(experiment=experiment.tag).update(received_at=F("ts"))  # logged as they happened


def test_experiment_page_walkthrough(live_server, new_page, screenshot_dir, creator, storefront):  # noqa: F811
    from themes.models import Palette, PaletteJob

    cache.clear()
    storefront.name = "Data Dojo"
    storefront.save()
    course = CourseFactory(storefront=storefront, title="Practical Machine Learning")
    CourseFactory(storefront=storefront, title="数据可视化实战", language="zh-hans")
    job = PaletteJob.objects.create(storefront=storefront, brief={}, brief_hash="x" * 64)
    blue = Palette.objects.create(storefront=storefront, job=job, rank=0, colors=LIGHT, dark=DARK, status="active",
                                  scores={"U": 2.4, "H": 0.8, "V": 0.7, "B": 0.9})
    green = Palette.objects.create(storefront=storefront, job=job, rank=1, colors=LIGHT_B, dark=DARK,
                                   status="approved", scores={"U": 2.6, "H": 0.8, "V": 0.95, "B": 0.85})
    base = live_server.url

    page = new_page()
    log_in(page, base, creator.username)
    page.goto(f"{base}/studio/storefronts/{storefront.slug}/experiments/")
    page.fill("input[name=name]", "Blue or green?")
    for palette in (blue, green):
        page.check(f"input[name=arms][value='palette:{palette.pk}']")
    page.fill("input[name=baseline_rate]", "10")
    page.fill("input[name=minimum_detectable_effect]", "5")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url("**/experiments/*/")
    with page.expect_navigation():
        page.click("main button:text-is('Start')")
    experiment = storefront.experiments.get()
    assert experiment.status == "running" and experiment.min_sample_per_variant == 686

    seen = {}  # anonymous visitors, each in a fresh browser, land in either variant and see its palette
    for _ in range(30):
        visitor = new_page()
        visitor.goto(f"{base}/s/{storefront.slug}/")
        href = visitor.locator("link[href*='/palettes/']").get_attribute("href")
        palette_id = int(href.split("/palettes/")[1].split("/")[0])
        assert visitor.csp_violations == []
        if palette_id not in seen:
            seen[palette_id] = href
            visitor.wait_for_load_state("networkidle")
            covers = visitor.locator("img[src*='cover.webp']")
            assert covers.count() == 2  # the covers, too, are in the variant's palette
            # a function, not an expression string: polling an expression string needs eval, which the CSP forbids
            visitor.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
            key = "A" if palette_id == blue.pk else "B"
            visitor.screenshot(path=str(screenshot_dir / f"experiment-1-visitor-variant-{key}.png"), full_page=True)
            visitor.reload()  # the same visitor stays in the same variant
            assert visitor.locator("link[href*='/palettes/']").get_attribute("href") == href
        if len(seen) == 2:
            break
    assert set(seen) == {blue.pk, green.pk}

    # the test ran eight days ago, so the attribution window (7 days) after the horizon has closed
    eight_days = dt.timedelta(days=8)
    type(experiment).objects.filter(pk=experiment.pk).update(started_at=F("started_at") - eight_days)
    Interaction.objects.filter(experiment=experiment.tag).update(ts=F("ts") - eight_days)
    experiment.refresh_from_db()
    _simulate(experiment, course, 800, {"A": (0.30, 0.10), "B": (0.36, 0.16)})
    page.reload()
    page.wait_for_load_state("networkidle")
    assert "wins" in page.locator("section.verdict").inner_text()
    page.screenshot(path=str(screenshot_dir / "experiment-2-results.png"), full_page=True)
    assert page.csp_violations == []
    with page.expect_navigation():
        page.click("button:has-text('Promote the winner')")
    green.refresh_from_db()
    assert green.status == "active"

    _history(course)
    page.goto(f"{base}/studio/storefronts/{storefront.slug}/analytics/?period=week")
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(screenshot_dir / "experiment-3-analytics.png"), full_page=True)
    assert page.csp_violations == []
    weights_refit()
