"""Concurrency: real threads, real transactions (PostgreSQL; SQLite serialises every writer, so CI runs this
module on PostgreSQL). Repeated reports count once, the rate limit holds, two moderators cannot both act."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection

from courseplatform.moderation import services
from courseplatform.moderation.models import Case, Decision, Report
from tests.factories import CourseFactory, CreatorFactory, StaffFactory, StorefrontFactory, UserFactory
from tests.races import race

WORKERS = 10


@pytest.fixture
def on_postgresql(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks between concurrent transactions); SQLite serialises all writers")


@pytest.fixture
def course(on_postgresql):
    return CourseFactory(storefront=StorefrontFactory(owner=CreatorFactory()))


def test_concurrent_reports_of_one_account_count_once(course):
    learner = UserFactory()
    results = race(lambda: services.report_submit(reporter=learner, kind="course", content=course, reason="spam"),
                    [() for _ in range(WORKERS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(1 for _report, created in results if created) == 1
    assert Report.objects.count() == 1 and Case.objects.get().reports_count == 1


def test_concurrent_first_reports_of_many_accounts_open_one_case(course):
    learners = [UserFactory() for _ in range(WORKERS)]
    results = race(lambda u: services.report_submit(reporter=u, kind="course", content=course, reason="spam"),
                    [(u,) for u in learners])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Case.objects.count() == 1 and Case.objects.get().reports_count == WORKERS == Report.objects.count()


def test_the_rate_limit_holds_under_concurrent_reports(settings, course):
    settings.MODERATION_REPORTS_PER_HOUR = 3
    courses = [course, *[CourseFactory(storefront=course.storefront) for _ in range(WORKERS - 1)]]
    learner = UserFactory()
    results = race(lambda c: services.report_submit(reporter=learner, kind="course", content=c, reason="spam"),
                    [(c,) for c in courses])
    assert sum(isinstance(r, tuple) for r in results) == 3
    assert sum(isinstance(r, services.ReportsRateLimited) for r in results) == WORKERS - 3
    assert Report.objects.filter(reporter=learner).count() == 3


def test_two_moderators_hiding_at_once_make_one_decision(course):
    report, _ = services.report_submit(reporter=UserFactory(), kind="course", content=course, reason="spam")
    moderators = []
    for _ in range(4):
        user = StaffFactory(is_superuser=False)
        user.user_permissions.add(Permission.objects.get(codename="moderate_content"))
        moderators.append(user)
    results = race(lambda m: services.case_decide(case=report.case, actor=m, action="hide", note="Spam"),
                    [(m,) for m in moderators])
    assert sum(isinstance(r, Case) for r in results) == 1
    assert sum(isinstance(r, services.InvalidTransition) for r in results) == 3
    assert Decision.objects.count() == 1 and Case.objects.get().hidden
