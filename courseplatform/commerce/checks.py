"""Deploy check: a production site must not take "payments" from the dummy provider by accident."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def dummy_provider_in_production(app_configs, **kwargs) -> list:
    variant = settings.COMMERCE_PAYMENT_VARIANT
    errors = []
    if variant not in settings.PAYMENT_VARIANTS:
        errors.append(Error(f"COMMERCE_PAYMENT_VARIANT {variant!r} is not in PAYMENT_VARIANTS.", id="commerce.E001"))
    if variant == "dummy" and not settings.COMMERCE_ALLOW_TEST_PAYMENTS:
        errors.append(Error(
            "Checkout uses the dummy payment provider: anyone can 'pay' without money.",
            hint="Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (README: Payments), or "
                 "COMMERCE_ALLOW_TEST_PAYMENTS=true on a test site.", id="commerce.E002"))
    return errors
