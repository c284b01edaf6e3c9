"""Signal receivers: a paid order enrols its learner (``order_paid``, sent on commit); a provider without a
webhook adapter (the dummy provider) reports its payment outcome through django-payments' ``status_changed``."""

import logging
from decimal import Decimal

from django.dispatch import receiver
from payments import PaymentStatus
from payments.signals import status_changed

from courseplatform.catalog import services as catalog_services
from courseplatform.hooks.signals import order_paid

from . import services
from .models import Payment
from .providers import webhook_adapter

logger = logging.getLogger(__name__)


@receiver(order_paid, dispatch_uid="commerce.enrol_on_order_paid")
def enrol_on_order_paid(sender, order, **kwargs) -> None:
    catalog_services.enroll(learner=order.learner, course=order.course, order=order)


@receiver(status_changed, sender=Payment, dispatch_uid="commerce.payment_status_changed")
def payment_status_changed(sender, instance: Payment, **kwargs) -> None:
    if webhook_adapter(instance.variant) is not None:
        return  # confirmed by its verified webhook only (amount and currency checked there)
    if instance.status in (PaymentStatus.CONFIRMED, PaymentStatus.PREAUTH):
        captured = Decimal(str(instance.captured_amount or 0))  # "0.0" until a provider captures
        services.payment_succeeded(payment=instance, amount=captured or Decimal(str(instance.total)),
                                   currency=instance.currency)
    elif instance.status in (PaymentStatus.REJECTED, PaymentStatus.ERROR):
        services.payment_failed(payment=instance)
