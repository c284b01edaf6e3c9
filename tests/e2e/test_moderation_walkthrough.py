"""Reports and moderation in headless Chromium: a learner reports a course with the keyboard, a moderator hides
it from the queue with a note, and the course is gone from every listing (catalogue, search, the learner's feed,
the feed API, the sitemap) while its owner sees the note; axe-core on every new page. Screenshots in
var/screenshots/."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from courseplatform.moderation.models import Case, Decision, Report
from recommender.models import FeedItem
from tests.e2e.accessibility import BLOCKING, axe_context, log_in, run_axe
from tests.factories import (
    CategoryFactory,
    CourseFactory,
    CreatorFactory,
    StaffFactory,
    StorefrontFactory,
    UserFactory,
)
from tests.recommender.factories import ModelVersionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Miracle Cure Masterclass"


def _world():
    creator = CreatorFactory(username="huckster")
    learner = UserFactory(username="careful-learner")
    moderator = StaffFactory(username="moderator", is_superuser=False)
    moderator.user_permissions.add(Permission.objects.get(codename="moderate_content"))
    storefront = StorefrontFactory(owner=creator, name="Wellness Wonders", slug="wellness")
    health = CategoryFactory(slug="health", name="Health")
    course = CourseFactory(storefront=storefront, title=TITLE, subtitle="Cure anything in a weekend",
                           category=health, price=Decimal("0"))
    others = [CourseFactory(title=f"Honest Course {i}", category=health, price=Decimal("0")) for i in range(3)]
    version = ModelVersionFactory(is_active=True, algorithm="ease")
    for rank, item in enumerate([course, *others], start=1):
        FeedItem.objects.create(version=version, user=learner, course=item, rank=rank, score=1.0 / rank,
                                reason_code="for_you")
    return creator, learner, moderator, course


def _blocking(name: str, violations: list[dict]) -> list[str]:
    return [f"{name}: {v['id']} ({v['impact']}) {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
            for v in violations if v["impact"] in BLOCKING]


def _listings(page, base: str, course) -> dict[str, bool]:
    """Whether each public listing shows the course, as the learner's browser sees it."""
    found = {}
    page.goto(f"{base}/")
    found["feed (Recommended for you)"] = page.locator("section[aria-labelledby=feed-title]", has_text=TITLE).count() > 0
    found["catalogue"] = page.locator("main .course-card, main article", has_text=TITLE).count() > 0 or \
        TITLE in page.locator("main").inner_text()
    page.goto(f"{base}/search/?q=miracle")
    found["search"] = TITLE in page.locator("main").inner_text()
    api = page.request.get(f"{base}/api/feed?limit=10")
    found["feed API"] = course.pk in [item["course"]["id"] for item in api.json()["items"]]
    sitemap = page.request.get(f"{base}/sitemap.xml").text()
    found["sitemap"] = f"/courses/{course.pk}/" in sitemap
    return found


def test_a_reported_course_hidden_by_a_moderator_leaves_every_listing(live_server, browser, screenshot_dir):
    creator, learner, moderator, course = _world()
    base = live_server.url
    problems: list[str] = []

    # The learner sees the course everywhere, then reports it with the keyboard.
    learner_ctx = axe_context(browser)
    page = learner_ctx.new_page()
    log_in(page, base, learner.username)
    before = _listings(page, base, course)
    assert all(before.values()), before
    page.goto(f"{base}/courses/{course.pk}/")
    problems += _blocking("course page with the report link", run_axe(page))
    link = page.get_by_role("link", name="Report this course")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/report/course/{course.pk}/")
    problems += _blocking("report form", run_axe(page))
    page.get_by_label("Fraud or misleading claims").focus()
    page.keyboard.press("Space")
    page.get_by_label("Anything moderators should know (optional)").focus()
    page.keyboard.type("Claims to cure every illness; no evidence.")
    page.screenshot(path=str(screenshot_dir / "moderation-1-report-form.png"), full_page=True)
    page.get_by_role("button", name="Send report").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/courses/{course.pk}/")
    assert "moderators will look at your report" in page.locator(".messages").inner_text()
    report = Report.objects.get()
    assert (report.reporter_id, report.reason, report.case.course_id) == (learner.pk, "scam", course.pk)

    # The moderator hides it from the queue, with a note for the owner.
    staff_ctx = axe_context(browser)
    staff = staff_ctx.new_page()
    log_in(staff, base, moderator.username)
    staff.goto(f"{base}/staff/moderation/")
    problems += _blocking("moderation queue", run_axe(staff))
    staff.screenshot(path=str(screenshot_dir / "moderation-2-queue.png"), full_page=True)
    staff.get_by_role("link", name=TITLE).click()
    staff.wait_for_load_state("networkidle")
    problems += _blocking("moderation case", run_axe(staff))
    assert "Claims to cure every illness" in staff.locator("main").inner_text()
    staff.get_by_label("Note to the owner").fill("Unsupported medical claims. Edit the description and ask again.")
    staff.get_by_role("button", name="Hide").click()
    staff.wait_for_load_state("networkidle")
    assert "Hidden. The owner sees your note." in staff.locator(".messages").inner_text()
    staff.screenshot(path=str(screenshot_dir / "moderation-3-case-hidden.png"), full_page=True)
    case = Case.objects.get()
    assert case.hidden and Decision.objects.filter(case=case, action="hide", actor=moderator).exists()

    # Gone from every listing, and a 404 for the public.
    after = _listings(page, base, course)
    assert not any(after.values()), after
    assert page.goto(f"{base}/courses/{course.pk}/").status == 404
    anonymous = browser.new_context()
    try:
        assert anonymous.new_page().goto(f"{base}/courses/{course.pk}/").status == 404
    finally:
        anonymous.close()
    for key in ("hidden", "all"):
        staff.goto(f"{base}/staff/moderation/?show={key}")
        problems += _blocking(f"moderation queue ({key})", run_axe(staff))

    # The owner sees the course with the moderators' note, and the note on the studio page.
    owner_ctx = axe_context(browser)
    owner = owner_ctx.new_page()
    log_in(owner, base, creator.username)
    owner.goto(f"{base}/studio/")
    assert "Unsupported medical claims" in owner.locator(".moderation-notices").inner_text()
    problems += _blocking("studio with a moderation notice", run_axe(owner))
    assert owner.goto(f"{base}/courses/{course.pk}/").status == 200
    assert "Hidden by moderators" in owner.locator(".moderation-notice").inner_text()
    problems += _blocking("hidden course page (owner)", run_axe(owner))
    owner.screenshot(path=str(screenshot_dir / "moderation-4-owner-notice.png"), full_page=True)

    # The report form in Chinese.
    zh_ctx = axe_context(browser, locale="zh-CN")
    zh = zh_ctx.new_page()
    log_in(zh, base, learner.username)
    other = FeedItem.objects.filter(user=learner).exclude(course=course).first().course
    zh.goto(f"{base}/zh-hans/report/course/{other.pk}/")
    assert "举报内容" in zh.locator("h1").inner_text()
    problems += _blocking("report form (zh-hans)", run_axe(zh))

    for context in (learner_ctx, staff_ctx, owner_ctx, zh_ctx):
        for p in context.pages:
            assert getattr(p, "csp_violations", []) == []
        context.close()
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
