"""Privacy in the browser (issue 23): the consent banner by keyboard (and axe), the data archive built by a real
worker and downloaded, and an account deleted from its page followed by a retrain that no longer knows it."""

import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model

from courseplatform.events.models import EventType, Interaction
from courseplatform.privacy.models import TrackingConsent
from recommender.models import FeedItem
from recommender.training import _saved_ids, train_version
from tests.conftest import log_in
from tests.e2e.accessibility import axe_context, counts, run_axe
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.recommender.factories import catalogue, planted_interactions

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => { const el = document.activeElement;
  return {tag: el.tagName.toLowerCase(), text: (el.innerText || el.value || '').trim(),
          inBanner: !!el.closest('.consent-banner'), inMain: !!el.closest('main'),
          visible: el.matches(':focus-visible')}; }"""


@pytest.fixture(autouse=True)
def _consent_and_files(settings, tmp_path):
    settings.PRIVACY_REQUIRE_CONSENT = True  # the test settings turn it off for the other suites
    settings.LEARNING_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()


def _tab_to(page, matches, what: str, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            assert focused["visible"], f"{what} has focus but no visible focus indicator"
            return focused
    raise AssertionError(f"{what} not reached with {limit} Tab presses")


def test_the_consent_banner_works_by_keyboard_never_blocks_the_page_and_passes_axe(live_server, browser):
    CourseFactory.create_batch(3)
    learner = UserFactory()
    context = axe_context(browser)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        banner = page.locator(".consent-banner")
        assert banner.is_visible()
        assert banner.evaluate("el => getComputedStyle(el).position") == "static"  # in the flow, not over it
        assert page.locator("[role=dialog], [aria-modal=true]").count() == 0
        bad = {k: v for k, v in counts(run_axe(page)).items() if k in ("serious", "critical") and v}
        assert not bad, f"axe found {bad} on the page with the banner"
        allow = _tab_to(page, lambda f: f["inBanner"] and f["text"] == "Allow usage measurement", "Allow")
        assert allow["tag"] == "button"
        # no focus trap: Tab leaves the banner and reaches the catalogue
        _tab_to(page, lambda f: f["inMain"], "the page's main content after the banner")
        # back to the banner with Shift+Tab, and choose by keyboard
        for _ in range(20):
            if page.evaluate(FOCUSED)["text"] == "Allow usage measurement":
                break
            page.keyboard.press("Shift+Tab")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert page.locator(".consent-banner").count() == 0
        assert any(c["name"] == "tracking_consent" and c["value"] == "granted" for c in context.cookies())
        # the choice follows the visitor into their account, and can be changed on the privacy page
        log_in(page, live_server.url, learner.username)
        assert TrackingConsent.objects.get(user=learner).granted
        page.goto(f"{live_server.url}/privacy/")
        bad = {k: v for k, v in counts(run_axe(page)).items() if k in ("serious", "critical") and v}
        assert not bad, f"axe found {bad} on the privacy page"
        page.check("input[value=denied]")
        page.click("main form button:has-text('Save my choice')")
        page.wait_for_load_state("networkidle")
        assert not TrackingConsent.objects.get(user=learner).granted
        impressions = Interaction.objects.filter(user=learner, type=EventType.IMPRESSION)
        logged = impressions.count()  # the home page seen while allowed
        assert logged > 0
        page.goto(f"{live_server.url}/")
        assert impressions.count() == logged  # declined: nothing more
        # translated
        fresh = browser.new_context(locale="zh-CN").new_page()
        fresh.goto(f"{live_server.url}/zh-hans/")
        assert "你的隐私" in fresh.inner_text(".consent-banner")
        fresh.context.close()
    finally:
        context.close()


@pytest.mark.worker
def test_a_learner_downloads_their_data_archive_built_by_a_worker(live_server, new_page, start_worker, settings):
    learner = UserFactory(display_name="Archive Owner")
    EnrollmentFactory(learner=learner)
    start_worker("default", extra_env={"LEARNING_MEDIA_ROOT": str(settings.LEARNING_MEDIA_ROOT)}).wait_ready()
    page = new_page()
    log_in(page, live_server.url, learner.username)
    page.goto(f"{live_server.url}/privacy/")
    page.click("text=Prepare my archive")
    link = page.locator("a:has-text('Download my data (ZIP)')")
    link.wait_for(timeout=90_000)  # the status polls every 2 s while the worker builds it
    with page.expect_download() as info:
        link.click()
    body = open(info.value.path(), "rb").read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        account = json.loads(archive.read("account.json"))
        enrolments = json.loads(archive.read("catalog.enrollment.learner.json"))
    assert account["display_name"] == "Archive Owner" and len(enrolments) == 1
    # the same link in someone else's session is not found
    other = UserFactory()
    stranger = new_page()
    log_in(stranger, live_server.url, other.username)
    response = stranger.goto(link.get_attribute("href") if link.get_attribute("href").startswith("http")
                             else f"{live_server.url}{link.get_attribute('href')}")
    assert response.status == 404


def test_an_account_deleted_in_the_browser_is_unknown_to_the_next_training(live_server, browser):
    _categories, courses = catalogue(n_categories=4, per_category=4)
    learners = planted_interactions(courses, n_learners=32)
    person = learners[0]
    before = train_version(algorithm="ease", device="cpu")
    assert FeedItem.objects.filter(version=before, user_id=person.pk).exists()
    context = axe_context(browser)
    page = context.new_page()
    log_in(page, live_server.url, person.username)
    page.goto(f"{live_server.url}/privacy/delete/")
    bad = {k: v for k, v in counts(run_axe(page)).items() if k in ("serious", "critical") and v}
    assert not bad, f"axe found {bad} on the account deletion page"
    page.check("input[value=remove]")
    page.fill("input[name=password]", "pw-for-tests-123")
    page.check("input[name=confirm]")
    page.click("button:has-text('Delete my account')")
    page.wait_for_load_state("networkidle")
    assert "Your account and personal data have been deleted." in page.inner_text("body")
    assert not get_user_model().objects.filter(pk=person.pk).exists()
    context.close()

    after = train_version(algorithm="ease", device="cpu")
    for version in (before, after):
        assert person.pk not in {int(u) for u in _saved_ids(version)["user_ids"] if u is not None}
    assert not FeedItem.objects.filter(user_id=person.pk).exists()
    assert FeedItem.objects.filter(version=after).exists()
