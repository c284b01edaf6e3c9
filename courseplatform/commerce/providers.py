"""Payment-provider adapter: django-payments drives the checkout (``PAYMENT_VARIANTS``); providers that confirm
payments by webhook also get a webhook adapter here, which verifies a delivery and turns it into a
:class:`ProviderEvent`. Adapters are named by variant in ``COMMERCE_WEBHOOK_ADAPTERS`` (README: "Adding a
payment provider"). A variant without one (the dummy provider) confirms in the browser flow instead."""

import json
from dataclasses import dataclass, field
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils.module_loading import import_string

#: what an event means for its payment
PAID, FAILED, EXPIRED, IGNORED = "paid", "failed", "expired", "ignored"
DEFAULT_ADAPTERS = {"stripe": "courseplatform.commerce.providers.StripeWebhooks"}
MAX_BODY_BYTES = 256 * 1024


class WebhookRejected(Exception):
    """A delivery that is not a verifiable event: answered with ``status`` (4xx) and logged."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    event_type: str
    outcome: str  # PAID, FAILED, EXPIRED or IGNORED
    token: str = ""  # the django-payments Payment.token it concerns
    amount: Decimal | None = None
    currency: str = ""
    payload: dict = field(default_factory=dict)
    attrs: dict = field(default_factory=dict)  # kept on the payment (django-payments' attrs), e.g. for refunds


def variant_config(variant: str) -> dict:
    return dict(settings.PAYMENT_VARIANTS.get(variant, ("", {}))[1])


def webhook_adapter(variant: str):
    """The webhook adapter of a configured variant, or ``None``."""
    if variant not in settings.PAYMENT_VARIANTS:
        return None
    path = {**DEFAULT_ADAPTERS, **getattr(settings, "COMMERCE_WEBHOOK_ADAPTERS", {})}.get(variant)
    return import_string(path)(variant) if path else None


#: currencies Stripe counts in whole units (no cents)
ZERO_DECIMAL = {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf",
                "xof", "xpf"}
STRIPE_OUTCOMES = {"checkout.session.async_payment_succeeded": PAID, "checkout.session.async_payment_failed": FAILED,
                   "checkout.session.expired": EXPIRED}


class StripeWebhooks:
    """Stripe Checkout events (``checkout.session.*``), signed with the endpoint secret
    (``STRIPE_WEBHOOK_SECRET``); deliveries older than ``tolerance`` seconds are refused (replayed captures)."""

    tolerance = 300

    def __init__(self, variant: str):
        self.variant = variant
        self.secret = variant_config(variant).get("endpoint_secret") or ""

    def parse(self, request) -> ProviderEvent:
        if not self.secret:
            raise WebhookRejected(404, "no webhook secret configured")
        signature = request.headers.get("Stripe-Signature", "")
        if not signature:
            raise WebhookRejected(400, "missing Stripe-Signature header")
        if len(request.body) > MAX_BODY_BYTES:
            raise WebhookRejected(413, "body too large")
        try:
            body = request.body.decode("utf-8")
            stripe.WebhookSignature.verify_header(body, signature, self.secret, self.tolerance)
        except UnicodeDecodeError:
            raise WebhookRejected(400, "body is not UTF-8") from None
        except stripe.SignatureVerificationError as error:
            raise WebhookRejected(400, f"signature verification failed: {error}") from None
        try:
            event = json.loads(body)
            event_id, event_type, obj = str(event["id"]), str(event["type"]), event["data"]["object"]
            if not isinstance(obj, dict) or not event_id:
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise WebhookRejected(400, "malformed event") from None
        if not event_type.startswith("checkout.session."):
            return ProviderEvent(event_id, event_type, IGNORED, payload=event)
        outcome = STRIPE_OUTCOMES.get(event_type, IGNORED)
        if event_type == "checkout.session.completed":
            outcome = PAID if obj.get("payment_status") == "paid" else IGNORED  # async methods report later
        token = obj.get("client_reference_id")
        if outcome != IGNORED and not isinstance(token, str):
            raise WebhookRejected(400, "event without client_reference_id")
        amount, currency = None, str(obj.get("currency") or "")
        if outcome == PAID:
            total = obj.get("amount_total")
            if not isinstance(total, int) or isinstance(total, bool) or not currency:
                raise WebhookRejected(400, "paid event without amount_total and currency")
            amount = Decimal(total) if currency.lower() in ZERO_DECIMAL else Decimal(total) / 100
        return ProviderEvent(event_id, event_type, outcome, token=token or "", amount=amount,
                             currency=currency.upper(), payload=event, attrs={"session": obj})
