"""Creator analytics and experiment outcomes count only paid orders: a pending or refunded order is no revenue."""

from decimal import Decimal

import pytest

from courseplatform.commerce import refunds, services
from courseplatform.experiments import analytics
from tests.factories import UserFactory

from .conftest import buy

pytestmark = pytest.mark.django_db


def test_revenue_is_the_sum_of_paid_orders_only(client, creator, paid_course, django_capture_on_commit_callbacks):
    kept, refunded, pending = UserFactory(), UserFactory(), UserFactory()
    client.force_login(kept)
    buy(client, paid_course, django_capture_on_commit_callbacks)
    client.force_login(refunded)
    order = buy(client, paid_course, django_capture_on_commit_callbacks)
    refunds.refund_decide(refund=refunds.refund_request(order=order, learner=refunded), actor=creator, approve=True)
    services.checkout_start(learner=pending, course=paid_course)

    [(_cid, _title, row)] = analytics.by_course(paid_course.storefront, days=7)
    assert row.revenue == Decimal("49.00") and row.enrolments == 1  # the refund ended the second enrolment
