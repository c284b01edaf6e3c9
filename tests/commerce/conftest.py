"""Commerce fixtures: paid courses in both currencies, and helpers driving the real checkout (dummy provider)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courseplatform.commerce.models import Coupon, Order
from tests.factories import CourseFactory

PAY = {"status": "confirmed", "fraud_status": "accept", "gateway_response": "3ds-disabled"}
DECLINE = {"status": "rejected", "fraud_status": "accept", "gateway_response": "3ds-disabled"}


@pytest.fixture(autouse=True)
def _payments(settings):
    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    settings.COMMERCE_PLATFORM_FEE_PERCENT = 10.0
    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_secret"
    settings.PAYMENT_VARIANTS = {
        "dummy": ("payments.dummy.DummyProvider", {}),
        "stripe": ("payments.stripe.StripeProviderV3", {"api_key": "sk_test_x", "endpoint_secret": "whsec_test_secret"}),
    }


@pytest.fixture
def paid_course(storefront):
    return CourseFactory(storefront=storefront, price=Decimal("49.00"), currency="USD", title="Paid course")


@pytest.fixture
def yuan_course(storefront):
    return CourseFactory(storefront=storefront, price=Decimal("199.00"), currency="CNY", title="人民币课程")


def make_coupon(storefront, code="SAVE10", **kwargs) -> Coupon:
    defaults = {"kind": "percent", "value": Decimal("10"), "max_per_learner": 1}
    return Coupon.objects.create(storefront=storefront, code=code, **{**defaults, **kwargs})


def checkout(client, course, coupon: str = "", **extra):
    return client.post(reverse("commerce:checkout", args=[course.pk]), {"coupon": coupon, **extra})


def buy(client, course, callbacks, coupon: str = "") -> Order:
    """Check out and pay with the dummy provider; on-commit work (enrolment, receipt) runs."""
    with callbacks(execute=True):
        response = checkout(client, course, coupon)
        assert response.status_code == 302, response.content.decode()[:2000]
        order = Order.objects.filter(course=course).latest("pk")
        if order.amount:
            paid = client.post(reverse("commerce:order_pay", args=[order.number]), PAY)
            assert paid.status_code == 302
    order.refresh_from_db()
    return order
