"""Receipts: an e-mail through Django's mail framework (console in development, SMTP from ``EMAIL_URL``) once
an order is paid, and the receipt page (same template context)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from payments.core import get_base_url

from .models import Order

logger = logging.getLogger(__name__)


def receipt_context(order: Order) -> dict:
    return {"order": order, "course": order.course, "storefront": order.storefront, "learner": order.learner,
            "coupon": order.coupon, "site_url": get_base_url().rstrip("/")}


def send_receipt(order_id: int) -> bool:
    """Mail the receipt of a paid order to its learner; a mail failure is logged (the order stays paid)."""
    order = Order.objects.select_related("course", "storefront", "learner", "coupon").get(pk=order_id)
    if not order.learner.email:
        return False
    context = receipt_context(order)
    message = EmailMultiAlternatives(
        subject=_("Your receipt for %(course)s") % {"course": order.course.title},
        body=render_to_string("commerce/email/receipt.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL, to=[order.learner.email])
    message.attach_alternative(render_to_string("commerce/email/receipt.html", context), "text/html")
    try:
        message.send()
    except Exception:
        logger.exception("receipt for order %s not sent", order.number)
        return False
    return True
