from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from courseplatform.commerce.models import Order, OrderStatus, Payment


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path, db):
    """Consent is required here (the test settings switch it off for everyone else); archives and saved models
    go to this test's own directories; feed caches start empty."""
    settings.PRIVACY_REQUIRE_CONSENT = True
    settings.LEARNING_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    cache.clear()
    yield
    cache.clear()


def paid_order(learner, course) -> Order:
    order = Order.objects.create(learner=learner, course=course, storefront=course.storefront,
                                 status=OrderStatus.PAID, currency="USD", list_price=course.price,
                                 amount=course.price, discount=Decimal("0.00"),
                                 expires_at=timezone.now() + timedelta(hours=1), paid_at=timezone.now())
    Payment.objects.create(order=order, variant="default", currency="USD", total=course.price,
                           billing_first_name="Ada", billing_last_name="Lovelace", billing_email="ada@example.com",
                           billing_city="London", customer_ip_address="203.0.113.9")
    return order
