"""Browser walk-through in headless Chromium (the dummy provider, a real SMTP server): a learner buys a paid course
without and with a coupon (share link), gets enrolled and the receipt e-mail, asks for a refund; the creator
approves it, the enrolment is gone and the statement shows gross, fee, refund and net. Screenshots in
var/screenshots/commerce-*.png."""

from decimal import Decimal

import pytest

from courseplatform.catalog.models import Enrollment
from courseplatform.commerce.models import Coupon, Order
from tests.conftest import log_in
from tests.factories import CourseFactory, UserFactory
from tests.smtp import smtp_inbox  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _dummy_payments(settings):
    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    settings.COMMERCE_PLATFORM_FEE_PERCENT = 10.0


def _buy(page, base, course, query: str = "") -> None:
    page.goto(f"{base}{course.get_absolute_url()}{query}")
    page.get_by_role("link", name="Buy for").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".test-payments").is_visible()  # the dummy provider says so
    page.get_by_role("button", name="Continue to payment").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Pay (test payment succeeds)").click()
    page.wait_for_load_state("networkidle")


def test_buy_with_and_without_coupon_receipt_refund_approval_and_statement(
        live_server, new_page, screenshot_dir, creator, storefront, smtp_inbox):  # noqa: F811
    base = live_server.url
    course = CourseFactory(storefront=storefront, title="Paid Python", price=Decimal("49.00"), currency="USD")
    second = CourseFactory(storefront=storefront, title="Data Viz", price=Decimal("30.00"), currency="USD")
    Coupon.objects.create(storefront=storefront, code="HALF", kind="percent", value=Decimal("50"))
    learner = UserFactory(username="buyer")

    page = new_page()
    log_in(page, base, learner.username)
    _buy(page, base, course)
    page.screenshot(path=str(screenshot_dir / "commerce-paid.png"), full_page=True)
    assert "Paid. You are enrolled" in page.content()
    assert Enrollment.objects.get(learner=learner, course=course).price_paid == Decimal("49.00")

    _buy(page, base, second, "?coupon=half")  # a share link: the coupon travels to the checkout
    order = Order.objects.get(learner=learner, course=second)
    assert (order.status, order.amount, order.coupon.code) == ("paid", Decimal("15.00"), "HALF")

    messages = smtp_inbox.wait_for(2)
    assert len(messages) == 2 and {m["To"] for m in messages} == {learner.email}
    bodies = [m.get_body(("plain",)).get_content() for m in messages]
    assert any("$49.00" in b for b in bodies) and any("$15.00" in b and "HALF" in b for b in bodies)

    first = Order.objects.get(learner=learner, course=course)
    page.goto(f"{base}{first.get_absolute_url()}")
    page.fill("textarea[name=reason]", "Too advanced for me")
    page.get_by_role("button", name="Request a refund").click()
    page.wait_for_load_state("networkidle")
    assert "sent to the creator" in page.content()

    studio = new_page()
    log_in(studio, base, creator.username)
    studio.goto(f"{base}/studio/storefronts/{storefront.slug}/sales/")
    assert "Too advanced for me" in studio.content()
    studio.get_by_role("button", name="Approve refund").click()
    studio.wait_for_load_state("networkidle")
    assert not Enrollment.objects.filter(learner=learner, course=course).exists()
    assert Order.objects.get(pk=first.pk).status == "refunded"

    studio.goto(f"{base}/studio/storefronts/{storefront.slug}/statement/")
    studio.screenshot(path=str(screenshot_dir / "commerce-statement.png"), full_page=True)
    usd = studio.locator("table.statement[data-currency=USD]")
    assert usd.locator(".gross").inner_text() == "$64.00"  # 49 + 15
    assert usd.locator(".fees").inner_text() == "-1.50"  # 4.90 + 1.50 charged, 4.90 returned with the refund
    assert usd.locator(".refunds").inner_text() == "-49.00"
    assert usd.locator(".net").inner_text() == "$13.50"
    assert not page.csp_violations and not studio.csp_violations
