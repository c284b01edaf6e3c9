"""Refunds within the storefront's window (creator approval or automatic), the enrolment revoked, the ledger's
append-only entries, and the monthly statement page and CSV."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from courseplatform.catalog.models import Enrollment
from courseplatform.commerce import refunds, selectors
from courseplatform.commerce.models import LedgerEntry, Order, Refund, StorefrontCommerce

from .conftest import buy

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(client, learner, paid_course, django_capture_on_commit_callbacks) -> Order:
    client.force_login(learner)
    return buy(client, paid_course, django_capture_on_commit_callbacks)


def test_the_creator_approves_a_refund_the_enrolment_ends_and_the_ledger_records_it(
        client, learner, creator, bought):
    response = client.post(reverse("commerce:refund_request", args=[bought.number]), {"reason": "Not for me"})
    assert response.status_code == 302
    refund = Refund.objects.get(order=bought)
    assert refund.status == "requested" and Enrollment.objects.filter(learner=learner).exists()
    client.force_login(creator)
    sales = client.get(reverse("commerce:sales", args=[bought.storefront.slug])).content.decode()
    assert "Not for me" in sales
    client.post(reverse("commerce:refund_decide", args=[bought.storefront.slug, refund.pk, "approve"]))
    refund.refresh_from_db()
    bought.refresh_from_db()
    assert refund.status == "approved" and refund.decided_by == creator and not refund.automatic
    assert bought.status == "refunded" and bought.payments.get().status == "refunded"
    assert not Enrollment.objects.filter(learner=learner, course=bought.course).exists()
    assert sorted(LedgerEntry.objects.filter(order=bought).values_list("kind", "amount")) == [
        ("fee", Decimal("-4.90")), ("fee_return", Decimal("4.90")), ("refund", Decimal("-49.00")),
        ("sale", Decimal("49.00"))]


def test_a_declined_refund_keeps_the_enrolment(client, learner, creator, bought):
    client.post(reverse("commerce:refund_request", args=[bought.number]))
    refund = Refund.objects.get(order=bought)
    client.force_login(creator)
    client.post(reverse("commerce:refund_decide", args=[bought.storefront.slug, refund.pk, "decline"]))
    refund.refresh_from_db()
    assert refund.status == "rejected" and Enrollment.objects.filter(learner=learner).exists()
    with pytest.raises(ValidationError):
        refunds.refund_request(order=bought, learner=learner)


def test_a_refund_after_the_window_is_refused(learner, bought):
    Order.objects.filter(pk=bought.pk).update(paid_at=timezone.now() - timedelta(days=15))
    bought.refresh_from_db()
    with pytest.raises(ValidationError, match="window"):
        refunds.refund_request(order=bought, learner=learner)
    assert not Refund.objects.exists()


def test_a_storefront_with_no_refund_window_refuses_refunds(learner, bought):
    StorefrontCommerce.objects.create(storefront=bought.storefront, refund_window_days=0)
    with pytest.raises(ValidationError, match="window"):
        refunds.refund_request(order=bought, learner=learner)


def test_within_the_automatic_period_a_refund_is_made_at_once(client, learner, bought):
    StorefrontCommerce.objects.create(storefront=bought.storefront, refund_window_days=30, auto_refund_days=3)
    client.post(reverse("commerce:refund_request", args=[bought.number]))
    refund = Refund.objects.get(order=bought)
    assert refund.status == "approved" and refund.automatic and refund.decided_by is None
    assert not Enrollment.objects.filter(learner=learner).exists()


def test_the_creator_sets_the_refund_window_in_the_studio(client, creator, storefront):
    client.force_login(creator)
    url = reverse("commerce:sales", args=[storefront.slug])
    assert client.post(url, {"refund_window_days": "7", "auto_refund_days": "2"}).status_code == 302
    assert client.post(url, {"refund_window_days": "-1", "auto_refund_days": "x"}).status_code == 400
    settings_row = StorefrontCommerce.objects.get(storefront=storefront)
    assert (settings_row.refund_window_days, settings_row.auto_refund_days) == (7, 2)


def test_the_ledger_is_append_only(bought):
    entry = LedgerEntry.objects.filter(order=bought).first()
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(order=bought).update(amount=0)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()


def test_the_statement_shows_gross_fee_refund_and_net_and_its_csv_agrees(
        client, learner, creator, bought, yuan_course, django_capture_on_commit_callbacks):
    yuan = buy(client, yuan_course, django_capture_on_commit_callbacks)
    refunds.refund_request(order=bought, learner=learner)
    refunds.refund_decide(refund=Refund.objects.get(order=bought), actor=creator, approve=True)
    today = timezone.localdate()
    lines = {line.currency: line for line in selectors.statement(bought.storefront, today.year, today.month)}
    usd, cny = lines["USD"], lines["CNY"]
    assert (usd.gross, usd.fees, usd.refunds, usd.net) == (Decimal("49.00"), Decimal("0.00"), Decimal("-49.00"),
                                                           Decimal("0.00"))
    assert (cny.gross, cny.fees, cny.refunds, cny.net) == (Decimal("199.00"), Decimal("-19.90"), Decimal("0.00"),
                                                           Decimal("179.10"))
    assert yuan.currency == "CNY"
    client.force_login(creator)
    month = f"{today.year:04d}-{today.month:02d}"
    page = client.get(reverse("commerce:statement", args=[bought.storefront.slug]), {"month": month})
    assert page.status_code == 200 and "CN¥179.10" in page.content.decode()
    response = client.get(reverse("commerce:statement_csv", args=[bought.storefront.slug]), {"month": month})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert ["", "", "", "Net", "179.10", "CNY"] in rows and ["", "", "", "Refunds", "-49.00", "USD"] in rows
    assert client.get(reverse("commerce:statement", args=[bought.storefront.slug]),
                      {"month": "2026-13"}).status_code == 400
    assert client.get(reverse("commerce:statement_csv", args=[bought.storefront.slug]),
                      {"month": "nope"}).status_code == 400
