"""Reports: reasons and a note, counted once per account, refused for one's own or non-public content,
rate limited; the form works for signed-in users only."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client

from courseplatform.catalog.models import Review
from courseplatform.moderation import services
from courseplatform.moderation.models import Case, Report
from courseplatform.pages import services as pages
from courseplatform.pages.models import StorefrontPage
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_report_opens_a_case_with_the_owner_and_counts_each_account_once(reported, learner, other_learner, creator):
    course, case = reported
    assert (case.kind, case.course_id, case.owner_id, case.reports_count, case.open) == \
        ("course", course.pk, creator.pk, 1, True)
    again, created = services.report_submit(reporter=learner, kind="course", content=course, reason="spam")
    assert not created and again.reason == "scam"  # the first report stands
    services.report_submit(reporter=other_learner, kind="course", content=course, reason="spam")
    case.refresh_from_db()
    assert case.reports_count == 2 and Report.objects.filter(case=case).count() == 2


def test_the_database_refuses_a_second_report_by_the_same_account(reported, learner):
    _course, case = reported
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(case=case, reporter=learner, reason="other")


def test_storefronts_pages_and_reviews_can_be_reported(shop, creator, learner, other_learner):
    course = CourseFactory(storefront=shop)
    review = Review.objects.create(course=course, learner=other_learner, rating=1, text="Buy my course instead")
    pages.section_add(storefront=shop, actor=creator, section_type="about")
    pages.page_publish(storefront=shop, actor=creator)
    page = StorefrontPage.objects.get(storefront=shop)
    for kind, content in (("storefront", shop), ("page", page), ("review", review)):
        _report, created = services.report_submit(reporter=learner, kind=kind, content=content, reason="spam")
        assert created
    assert set(Case.objects.values_list("kind", flat=True)) == {"storefront", "page", "review"}
    assert Case.objects.get(kind="review").owner == other_learner


def test_own_content_unknown_reasons_and_long_notes_are_refused(reported, creator, learner):
    course, _case = reported
    with pytest.raises(ValidationError):
        services.report_submit(reporter=creator, kind="course", content=course, reason="spam")
    with pytest.raises(ValidationError):
        services.report_submit(reporter=UserFactory(), kind="course", content=course, reason="boring")
    with pytest.raises(ValidationError):
        services.report_submit(reporter=UserFactory(), kind="course", content=course, reason="spam", note="x" * 1001)


def test_a_draft_cannot_be_reported(shop, learner):
    draft = CourseFactory(storefront=shop, published=False)
    with pytest.raises(ValidationError):
        services.report_submit(reporter=learner, kind="course", content=draft, reason="spam")


def test_reports_are_rate_limited_per_account(settings, shop, learner):
    settings.MODERATION_REPORTS_PER_HOUR = 2
    courses = [CourseFactory(storefront=shop) for _ in range(3)]
    for course in courses[:2]:
        services.report_submit(reporter=learner, kind="course", content=course, reason="spam")
    with pytest.raises(services.ReportsRateLimited) as limited:
        services.report_submit(reporter=learner, kind="course", content=courses[2], reason="spam")
    assert limited.value.retry_after_s > 0
    # repeating an earlier report is not a new report: it does not hit the limit
    assert services.report_submit(reporter=learner, kind="course", content=courses[0], reason="spam")[1] is False


def test_the_report_form_needs_a_signed_in_user_and_a_reason(shop, learner):
    course = CourseFactory(storefront=shop, title="Reportable")
    url = f"/report/course/{course.pk}/"
    assert Client().get(url).status_code == 302  # to the log-in page
    client = Client()
    client.force_login(learner)
    page = client.get(url)
    assert page.status_code == 200 and b"Reportable" in page.content and b'type="radio"' in page.content
    assert client.post(url, {"note": "no reason"}).status_code == 400
    response = client.post(url, {"reason": "hate", "note": "Slurs in the intro"})
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    assert Report.objects.get().note == "Slurs in the intro"
    assert client.post(url, {"reason": "spam"}).status_code == 302  # counted once, told so
    assert Report.objects.count() == 1


def test_the_form_answers_429_with_retry_after_when_the_limit_is_reached(settings, shop, learner):
    settings.MODERATION_REPORTS_PER_HOUR = 1
    first, second = CourseFactory(storefront=shop), CourseFactory(storefront=shop)
    client = Client()
    client.force_login(learner)
    client.post(f"/report/course/{first.pk}/", {"reason": "spam"})
    response = client.post(f"/report/course/{second.pk}/", {"reason": "spam"})
    assert response.status_code == 429 and int(response["Retry-After"]) > 0


def test_the_form_is_translated(shop, learner):
    course = CourseFactory(storefront=shop)
    client = Client()
    client.force_login(learner)
    page = client.get(f"/zh-hans/report/course/{course.pk}/").content.decode()
    assert "举报" in page and "垃圾信息或广告" in page


@pytest.mark.parametrize("path", ["/report/course/999999/", "/report/lesson/1/", "/report/course/99999999999999999999/"])
def test_unknown_content_is_a_404(learner, path):
    client = Client()
    client.force_login(learner)
    assert client.get(path).status_code == 404
