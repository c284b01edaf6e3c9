"""Stripe webhooks: real signatures (Stripe's scheme, verified by the stripe library), each event processed once,
a failed processing retried, mismatching amounts flagged, forged/stale/malformed deliveries refused with a 4xx."""

import hashlib
import hmac
import json
import time
from decimal import Decimal

import pytest
from django.urls import reverse

from courseplatform.catalog.models import Enrollment
from courseplatform.commerce import services, webhooks
from courseplatform.commerce.models import LedgerEntry, Order, WebhookEvent

pytestmark = pytest.mark.django_db
SECRET = "whsec_test_secret"
URL = "/payments/webhooks/stripe/"


def sign(body: str, secret: str = SECRET, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event(payment, event_id="evt_1", kind="checkout.session.completed", amount_total=4900, currency="usd",
          payment_status="paid") -> str:
    return json.dumps({"id": event_id, "type": kind, "data": {"object": {
        "id": "cs_test_1", "object": "checkout.session", "client_reference_id": payment.token,
        "amount_total": amount_total, "currency": currency, "payment_status": payment_status,
        "status": "complete"}}})


def deliver(client, body: str, signature: str | None = None):
    headers = {} if signature == "" else {"HTTP_STRIPE_SIGNATURE": signature or sign(body)}
    return client.post(URL, body, content_type="application/json", **headers)


@pytest.fixture
def stripe_payment(learner, paid_course):
    order = services.checkout_start(learner=learner, course=paid_course)
    return services.payment_for(order, "stripe")


def test_a_signed_paid_event_fulfils_the_order_once_and_a_replay_is_a_duplicate(
        client, stripe_payment, django_capture_on_commit_callbacks):
    body = event(stripe_payment)
    with django_capture_on_commit_callbacks(execute=True):
        first = deliver(client, body)
    with django_capture_on_commit_callbacks(execute=True):
        replay = deliver(client, body)
    assert first.status_code == 200 and first.json() == {"status": "processed"}
    assert replay.status_code == 200 and replay.json() == {"status": "duplicate"}
    order = Order.objects.get(pk=stripe_payment.order_id)
    assert order.status == "paid"
    stripe_payment.refresh_from_db()
    assert stripe_payment.status == "confirmed" and stripe_payment.attrs.session["id"] == "cs_test_1"
    assert Enrollment.objects.filter(learner=order.learner, course=order.course).count() == 1
    assert LedgerEntry.objects.filter(order=order, kind="sale").count() == 1
    assert WebhookEvent.objects.get(event_id="evt_1").attempts == 1


def test_a_forged_signature_is_refused_and_changes_nothing(client, stripe_payment):
    body = event(stripe_payment)
    forged = deliver(client, body, sign(body, secret="whsec_attacker"))
    missing = deliver(client, body, "")
    tampered = deliver(client, body.replace("4900", "100"), sign(body))
    assert (forged.status_code, missing.status_code, tampered.status_code) == (400, 400, 400)
    assert Order.objects.get(pk=stripe_payment.order_id).status == "pending"
    assert not WebhookEvent.objects.exists()


def test_a_stale_signed_delivery_is_refused(client, stripe_payment):
    body = event(stripe_payment)
    assert deliver(client, body, sign(body, timestamp=int(time.time()) - 3600)).status_code == 400
    assert Order.objects.get(pk=stripe_payment.order_id).status == "pending"


@pytest.mark.parametrize("amount_total,currency", [(100, "usd"), (4900, "cny")])
def test_a_payment_not_matching_the_order_is_rejected_and_flagged(client, stripe_payment, amount_total, currency):
    response = deliver(client, event(stripe_payment, amount_total=amount_total, currency=currency))
    assert response.status_code == 200 and response.json() == {"status": "rejected"}
    order = Order.objects.get(pk=stripe_payment.order_id)
    assert order.status == "pending" and order.flagged and "does not match" in order.flag_reason
    assert not Enrollment.objects.exists() and not LedgerEntry.objects.exists()


@pytest.mark.parametrize("body", ["not json", "{}", '{"id": "evt_x", "type": "checkout.session.completed"}',
                                  '{"id": "evt_x", "type": "checkout.session.completed", "data": {"object": []}}',
                                  json.dumps({"id": "evt_x", "type": "checkout.session.completed", "data": {
                                      "object": {"payment_status": "paid", "client_reference_id": "x"}}})])
def test_malformed_signed_payloads_get_a_4xx_never_a_500(client, stripe_payment, body, caplog):
    response = deliver(client, body)
    assert 400 <= response.status_code < 500
    assert "webhook stripe" in caplog.text


def test_an_event_for_an_unknown_payment_is_a_404_and_logged(client, stripe_payment, caplog):
    stripe_payment.token = "00000000-0000-0000-0000-000000000000"
    assert deliver(client, event(stripe_payment)).status_code == 404
    assert "unknown payment" in caplog.text


def test_an_unknown_provider_is_a_404(client):
    assert client.post("/payments/webhooks/alipay/", "{}", content_type="application/json").status_code == 404


def test_an_event_whose_processing_failed_is_processed_again_on_retry(
        client, stripe_payment, monkeypatch, django_capture_on_commit_callbacks):
    real = services.payment_succeeded
    calls = []

    def fail_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real(**kwargs)

    monkeypatch.setattr(webhooks.services, "payment_succeeded", fail_once)
    body = event(stripe_payment, event_id="evt_retry")
    failed = deliver(client, body)
    row = WebhookEvent.objects.get(event_id="evt_retry")
    assert failed.status_code == 503 and row.status == "failed" and "hiccup" in row.error
    assert Order.objects.get(pk=stripe_payment.order_id).status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        retried = deliver(client, body)
    row.refresh_from_db()
    assert retried.json() == {"status": "processed"} and row.status == "processed" and row.attempts == 2
    assert Order.objects.get(pk=stripe_payment.order_id).status == "paid"


def test_expired_and_failed_sessions_end_the_pending_order(client, learner, paid_course, stripe_payment):
    deliver(client, event(stripe_payment, event_id="evt_exp", kind="checkout.session.expired",
                           payment_status="unpaid"))
    assert Order.objects.get(pk=stripe_payment.order_id).status == "expired"


def test_an_unpaid_completed_session_waits_for_the_async_outcome(client, stripe_payment):
    response = deliver(client, event(stripe_payment, payment_status="unpaid"))
    assert response.status_code == 200
    assert Order.objects.get(pk=stripe_payment.order_id).status == "pending"


def test_a_dummy_payment_is_not_confirmed_by_a_webhook_url(client, learner, paid_course):
    order = services.checkout_start(learner=learner, course=paid_course)
    services.payment_for(order)
    assert client.post("/payments/webhooks/dummy/", "{}", content_type="application/json").status_code == 404
    assert Order.objects.get(pk=order.pk).status == "pending" and order.amount == Decimal("49.00")


def test_the_payment_page_of_a_stripe_order_goes_to_stripe_checkout_only_from_the_server(
        client, learner, paid_course, settings):
    settings.COMMERCE_PAYMENT_VARIANT = "stripe"
    client.force_login(learner)
    client.post(reverse("commerce:checkout", args=[paid_course.pk]))
    order = Order.objects.get(learner=learner)
    # no network here: Stripe is unreachable, so the learner is sent back to the order with a message
    assert client.get(reverse("commerce:order_pay", args=[order.number])).status_code == 200
    assert not order.payments.exists()  # showing the page writes nothing
    response = client.post(reverse("commerce:order_pay", args=[order.number]), {"start": "1"})
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
