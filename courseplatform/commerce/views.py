"""Learner pages: checkout, the order and its payment, the receipt, refund requests, the list of orders."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from payments import PaymentError, RedirectNeeded

from courseplatform.catalog import selectors as catalog_selectors
from courseplatform.catalog.models import Course

from . import pricing, refunds, selectors, services
from .forms import CheckoutForm, RefundRequestForm
from .models import Order, OrderStatus
from .receipts import receipt_context

logger = logging.getLogger(__name__)


def test_payments() -> bool:
    """Whether checkout runs on the dummy provider (pages show a "test payments" banner)."""
    return settings.COMMERCE_PAYMENT_VARIANT == "dummy"


def _course_or_404(request, pk) -> Course:
    try:
        return catalog_selectors.course_visible_to(pk, request.user)
    except Course.DoesNotExist:
        raise Http404 from None


def _order_or_404(request, order) -> Order:
    try:
        return selectors.order_of(request.user, order)
    except Order.DoesNotExist:  # another learner's order is not revealed
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request, pk):
    course = _course_or_404(request, pk)
    if catalog_selectors.enrollment_for(request.user, course) is not None:
        messages.info(request, _("You are already enrolled in this course."))
        return redirect(course)
    if course.price <= 0:
        return redirect(course)  # free: one click on the course page
    pending = selectors.pending_order(request.user, course)
    initial = request.GET.get("coupon", "")[:64] or (pending.coupon.code if pending and pending.coupon else "")
    form = CheckoutForm(request.POST if request.method == "POST" else None, initial={"coupon": initial})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            order = services.checkout_start(learner=request.user, course=course,
                                            coupon_code=form.cleaned_data["coupon"])
        except ValidationError as error:
            form.add_error("coupon" if form.cleaned_data["coupon"] else None, error)
        else:
            if order.amount == 0:
                services.order_settle_free(order)
                return redirect(order)
            return redirect("commerce:order_pay", order=order.number)
    if request.method == "POST":
        status = 400
    quote, coupon_error = None, ""
    code = form.data.get("coupon", "") if form.is_bound else initial
    try:
        quote = pricing.quote(course, request.user, code, pending=pending)
    except ValidationError as error:
        coupon_error = " ".join(error.messages)
        quote = pricing.quote(course, request.user, "")
    return render(request, "commerce/checkout.html", {
        "course": course, "storefront": course.storefront, "form": form, "quote": quote,
        "coupon_error": coupon_error if not form.errors else "", "test_payments": test_payments()}, status=status)


@login_required
@require_GET
def my_orders(request):
    return render(request, "commerce/orders.html", {"orders": selectors.orders_of(request.user)[:200]})


@login_required
@require_GET
def order_detail(request, order):
    order = _order_or_404(request, order)
    deadline = refunds.refund_deadline(order) if order.status == OrderStatus.PAID else None
    refund = getattr(order, "refund", None) if hasattr(order, "refund") else None
    return render(request, "commerce/order.html", {
        "order": order, "course": order.course, "refund": refund, "refund_deadline": deadline,
        "can_request_refund": bool(deadline and timezone.now() <= deadline and refund is None),
        "refund_form": RefundRequestForm(), "test_payments": test_payments(),
        "expired": order.status == OrderStatus.PENDING and order.expires_at <= timezone.now()})


@login_required
@require_http_methods(["GET", "POST"])
def order_pay(request, order):
    order = _order_or_404(request, order)
    if order.status != OrderStatus.PENDING or order.expires_at <= timezone.now():
        return redirect(order)
    if order.amount == 0:
        services.order_settle_free(order)
        return redirect(order)
    variant = settings.COMMERCE_PAYMENT_VARIANT
    if request.method == "GET":  # nothing is written until the learner presses a button (reads never write)
        return render(request, "commerce/pay.html", {
            "order": order, "course": order.course, "form": None, "test_payments": variant == "dummy"})
    target = None
    try:
        with transaction.atomic():  # the provider's status change and the fulfilment commit together
            payment = services.payment_for(order, variant)
            payment.base_url = request.build_absolute_uri("/")
            try:  # "start": the provider's first step (its form, or a redirect to its page)
                form = payment.get_form(data=None if "start" in request.POST else request.POST)
            except RedirectNeeded as redirect_needed:  # the provider's page (Stripe Checkout), or the order
                target = str(redirect_needed)
    except (PaymentError, ValidationError, OSError) as error:  # OSError: the provider could not be reached
        logger.warning("payment for order %s could not start: %s", order.number, error)
        messages.error(request, _("The payment could not be started. Please try again."))
        return redirect(order)
    if target is not None:
        return redirect(target)
    return render(request, "commerce/pay.html", {
        "order": order, "course": order.course, "form": form, "test_payments": payment.variant == "dummy"},
        status=400 if form.is_bound and form.errors else 200)


@login_required
@require_GET
def receipt(request, order):
    order = _order_or_404(request, order)
    if order.paid_at is None:
        raise Http404
    return render(request, "commerce/receipt.html", receipt_context(order))


@login_required
@require_POST
def refund_request(request, order):
    order = _order_or_404(request, order)
    form = RefundRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for ms in form.errors.values() for m in ms))
        return redirect(order)
    try:
        refund = refunds.refund_request(order=order, learner=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your refund has been made.") if refund.status == "approved" else
                         _("Your refund request has been sent to the creator."))
    return redirect(order)
