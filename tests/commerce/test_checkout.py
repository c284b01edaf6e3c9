"""Checkout with the dummy provider: the server's price, one pending order per learner and course, enrolment only
through the paid order, receipts, and the catalogue's paid/free enrolment rules."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from courseplatform.catalog import services as catalog_services
from courseplatform.catalog.models import Enrollment
from courseplatform.commerce import services
from courseplatform.commerce.models import LedgerEntry, Order, Payment
from tests.factories import CourseFactory

from .conftest import DECLINE, PAY, buy, checkout

pytestmark = pytest.mark.django_db


def test_buying_a_paid_course_enrols_with_the_amount_paid_ledger_and_receipt(
        client, learner, paid_course, django_capture_on_commit_callbacks):
    client.force_login(learner)
    order = buy(client, paid_course, django_capture_on_commit_callbacks)
    assert order.status == "paid" and order.amount == Decimal("49.00") and order.currency == "USD"
    enrolment = Enrollment.objects.get(learner=learner, course=paid_course)
    assert enrolment.price_paid == Decimal("49.00")
    assert sorted(LedgerEntry.objects.filter(order=order).values_list("kind", "amount")) == [
        ("fee", Decimal("-4.90")), ("sale", Decimal("49.00"))]
    assert len(mail.outbox) == 1 and str(order.number) in mail.outbox[0].body
    assert mail.outbox[0].to == [learner.email]
    page = client.get(reverse("commerce:receipt", args=[order.number]))
    assert page.status_code == 200 and "$49.00" in page.content.decode()


def test_client_sent_prices_are_ignored(client, learner, paid_course, django_capture_on_commit_callbacks):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, paid_course, price="0.01", amount="0.01", list_price="0", discount="49", currency="CNY")
        order = Order.objects.get(learner=learner)
        client.post(reverse("commerce:order_pay", args=[order.number]), {**PAY, "total": "0.01", "amount": "1"})
    order.refresh_from_db()
    assert (order.amount, order.currency, order.discount) == (Decimal("49.00"), "USD", Decimal("0.00"))
    assert Payment.objects.get(order=order).total == Decimal("49.00")
    assert Enrollment.objects.get(learner=learner).price_paid == Decimal("49.00")


def test_a_double_submitted_checkout_and_payment_make_one_order_one_payment_one_enrolment(
        client, learner, paid_course, django_capture_on_commit_callbacks):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, paid_course)
        checkout(client, paid_course)
        order = Order.objects.get(learner=learner)
        url = reverse("commerce:order_pay", args=[order.number])
        client.post(url, PAY)
        second = client.post(url, PAY)
    assert second.status_code == 302 and second["Location"] == order.get_absolute_url()
    assert Order.objects.filter(learner=learner).count() == 1
    assert Payment.objects.filter(order=order).count() == 1
    assert Enrollment.objects.filter(learner=learner).count() == 1
    assert LedgerEntry.objects.filter(order=order, kind="sale").count() == 1
    # after paying, the checkout sends the learner back to the course instead of selling it again
    assert checkout(client, paid_course).status_code == 302
    assert Order.objects.filter(learner=learner).count() == 1


def test_a_declined_payment_fails_the_order_without_enrolment_and_a_new_checkout_starts_over(
        client, learner, paid_course):
    client.force_login(learner)
    checkout(client, paid_course)
    order = Order.objects.get(learner=learner)
    client.post(reverse("commerce:order_pay", args=[order.number]), DECLINE)
    order.refresh_from_db()
    assert order.status == "failed" and not Enrollment.objects.exists()
    checkout(client, paid_course)
    assert Order.objects.filter(learner=learner, status="pending").count() == 1


def test_a_paid_course_cannot_be_enrolled_without_a_paid_order(client, learner, paid_course):
    client.force_login(learner)
    response = client.post(reverse("catalog:course_enroll", args=[paid_course.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("commerce:checkout",
                                                                            args=[paid_course.pk])
    assert not Enrollment.objects.exists()
    with pytest.raises(ValidationError):
        catalog_services.enroll(learner=learner, course=paid_course)
    pending = services.checkout_start(learner=learner, course=paid_course)
    with pytest.raises(ValidationError):
        catalog_services.enroll(learner=learner, course=paid_course, order=pending)


def test_a_free_course_keeps_one_click_enrolment(client, learner, storefront):
    free = CourseFactory(storefront=storefront, price=Decimal("0"))
    client.force_login(learner)
    assert "Enrol now" in client.get(free.get_absolute_url()).content.decode()
    client.post(reverse("catalog:course_enroll", args=[free.pk]))
    assert Enrollment.objects.get(learner=learner, course=free).price_paid == 0
    assert not Order.objects.exists()


def test_the_course_page_offers_the_paid_course_for_its_localised_price_and_keeps_the_coupon(
        client, learner, yuan_course):
    client.force_login(learner)
    page = client.get(yuan_course.get_absolute_url() + "?coupon=spring").content.decode()
    assert "Buy for CN¥199.00" in page
    assert reverse("commerce:checkout", args=[yuan_course.pk]) + "?coupon=spring" in page
    zh = client.get("/zh-hans" + yuan_course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "199.00 元" in zh and "CN¥" not in zh


def test_the_checkout_page_shows_the_test_payments_banner(client, learner, paid_course):
    client.force_login(learner)
    page = client.get(reverse("commerce:checkout", args=[paid_course.pk])).content.decode()
    assert "Test payments" in page and "$49.00" in page


def test_a_stale_pending_order_expires_and_gives_its_coupon_back(learner, paid_course, settings):
    from .conftest import make_coupon

    coupon = make_coupon(paid_course.storefront, max_redemptions=1)
    order = services.checkout_start(learner=learner, course=paid_course, coupon_code="save10")
    coupon.refresh_from_db()
    assert coupon.redeemed_count == 1 and order.amount == Decimal("44.10")
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)
    assert services.orders_expire() == 1
    order.refresh_from_db()
    coupon.refresh_from_db()
    assert order.status == "expired" and coupon.redeemed_count == 0


def test_the_creator_cannot_buy_their_own_course(client, creator, paid_course):
    client.force_login(creator)
    response = checkout(client, paid_course)
    assert response.status_code == 400 and not Order.objects.exists()


def test_the_expire_orders_command_ends_stale_pending_orders(learner, paid_course):
    from io import StringIO

    from django.core.management import call_command

    order = services.checkout_start(learner=learner, course=paid_course)
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)
    out = StringIO()
    call_command("expire_orders", stdout=out)
    assert "1 pending orders expired" in out.getvalue()
    assert Order.objects.get(pk=order.pk).status == "expired"
