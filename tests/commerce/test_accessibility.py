"""axe-core (tests/e2e/axe, injected by init script so the CSP stays strict) on every commerce page, as a learner
and as the creator: no serious or critical violation, in English and Chinese."""

import os
from decimal import Decimal
from pathlib import Path

import pytest

from courseplatform.commerce import refunds, services
from courseplatform.commerce.models import Coupon, Order
from tests.conftest import log_in
from tests.factories import CourseFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
AXE_JS = Path(__file__).resolve().parents[1] / "e2e" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => v.id + ": " + v.nodes.map(n => n.target.join(" ")).join(", "))"""


def _axe_page(browser, locale: str):
    if not AXE_JS.exists():
        message = f"axe-core is not installed: run `npm ci --prefix {AXE_JS.parents[2]}`"
        if os.environ.get("SKIP_BROWSER"):
            pytest.skip(message + " (SKIP_BROWSER is set)")
        pytest.fail(message)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    context.add_init_script(script=AXE_JS.read_text())
    return context, context.new_page()


@pytest.mark.parametrize("prefix,locale", [("", "en-US"), ("/zh-hans", "zh-CN")])
def test_commerce_pages_have_no_serious_accessibility_violations(
        live_server, browser, creator, storefront, prefix, locale, settings):
    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    base = live_server.url
    course = CourseFactory(storefront=storefront, title="Paid Python", price=Decimal("49.00"))
    Coupon.objects.create(storefront=storefront, code="HALF", kind="percent", value=Decimal("50"))
    learner = UserFactory(username="axe-buyer")
    order = services.checkout_start(learner=learner, course=course)
    services.payment_succeeded(payment=services.payment_for(order, "dummy"), amount=order.amount,
                               currency=order.currency)
    refunds.refund_request(order=Order.objects.get(pk=order.pk), learner=learner)
    other = CourseFactory(storefront=storefront, title="Data Viz", price=Decimal("30.00"))
    pending = services.checkout_start(learner=learner, course=other, coupon_code="half")

    pages = {"learner": [f"/courses/{other.pk}/checkout/?coupon=half", f"/orders/{pending.number}/pay/",
                         f"/orders/{pending.number}/", f"/orders/{order.number}/", f"/orders/{order.number}/receipt/",
                         "/orders/"],
             "creator": [f"/studio/storefronts/{storefront.slug}/{page}/" for page in ("sales", "coupons", "statement")]}
    failures = []
    for who, user in (("learner", learner), ("creator", creator)):
        context, page = _axe_page(browser, locale)
        try:
            log_in(page, base, user.username)
            for n, path in enumerate(pages[who]):
                page.goto(f"{base}{prefix}{path}")
                page.wait_for_load_state("networkidle")
                failures += [f"{prefix}{path}: {v}" for v in page.evaluate(RUN_AXE)]
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(SCREENSHOTS / f"commerce-{locale}-{who}-{n}.png"), full_page=True)
        finally:
            context.close()
    assert not failures, "\n".join(failures)
