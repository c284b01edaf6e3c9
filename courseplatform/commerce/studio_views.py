"""Creator pages: a storefront's sales (orders, refund requests, selling settings), coupons, and the monthly
earnings statement with its CSV. The storefront's owner, or staff; anyone else gets a 404."""

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.catalog.models import Storefront
from courseplatform.catalog.permissions import creator_required

from . import coupons, refunds, selectors
from .forms import CouponForm, MonthForm, SellingSettingsForm
from .models import Coupon, Refund
from .permissions import can_sell


def _storefront_or_404(request, slug) -> Storefront:
    storefront = Storefront.objects.filter(slug=slug).first()
    if storefront is None or not can_sell(request.user, storefront):
        raise Http404
    return storefront


@creator_required
@require_http_methods(["GET", "POST"])
def sales(request, slug):
    storefront = _storefront_or_404(request, slug)
    current = refunds.selling_settings(storefront)
    form = SellingSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST":
        if form.is_valid():
            refunds.selling_settings_update(storefront=storefront, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Selling settings saved."))
            return redirect("commerce:sales", slug=slug)
    return render(request, "commerce/studio/sales.html", {
        "storefront": storefront, "form": form, "refunds": selectors.refunds_waiting(storefront),
        "orders": selectors.storefront_orders(storefront)[:50]}, status=400 if form.errors else 200)


@creator_required
@require_POST
def refund_decide(request, slug, pk, decision):
    storefront = _storefront_or_404(request, slug)
    if decision not in ("approve", "decline"):
        raise Http404
    try:
        refund = selectors.refund_for_manager(request.user, pk)
    except Refund.DoesNotExist:
        raise Http404 from None
    if refund.order.storefront_id != storefront.pk:
        raise Http404
    try:
        refunds.refund_decide(refund=refund, actor=request.user, approve=decision == "approve")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Refund approved: the learner's enrolment has ended.") if decision == "approve"
                         else _("Refund declined."))
    return redirect("commerce:sales", slug=slug)


@creator_required
@require_http_methods(["GET", "POST"])
def coupon_list(request, slug):
    storefront = _storefront_or_404(request, slug)
    form = CouponForm(request.POST if request.method == "POST" else None, storefront=storefront)
    if request.method == "POST" and form.is_valid():
        try:
            coupon = coupons.coupon_create(storefront=storefront, actor=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Coupon %(code)s created.") % {"code": coupon.code})
            return redirect("commerce:coupons", slug=slug)
    rows = list(selectors.coupons_with_measures(storefront))
    with translation.override(settings.LANGUAGE_CODE):  # no language prefix: each visitor gets their own
        for coupon in rows:
            page = coupon.course.get_absolute_url() if coupon.course else storefront.get_absolute_url()
            coupon.share_url = f"{request.build_absolute_uri(page)}?{urlencode({'coupon': coupon.code})}"
    return render(request, "commerce/studio/coupons.html", {
        "storefront": storefront, "form": form, "coupons": rows}, status=400 if form.errors else 200)


@creator_required
@require_POST
def coupon_pause(request, slug, pk):
    storefront = _storefront_or_404(request, slug)
    coupon = Coupon.objects.filter(storefront=storefront, pk=pk).first()
    if coupon is None:
        raise Http404
    coupons.coupon_set_paused(coupon=coupon, actor=request.user, paused=not coupon.paused)
    messages.success(request, _("Coupon paused.") if coupon.paused else _("Coupon resumed."))
    return redirect("commerce:coupons", slug=slug)


def _month(request) -> tuple[int, int]:
    form = MonthForm(request.GET)
    if not form.is_valid():
        raise ValidationError(form.errors["month"])
    return form.cleaned_data["month"]


@creator_required
@require_GET
def statement(request, slug):
    storefront = _storefront_or_404(request, slug)
    try:
        year, month = _month(request)
    except ValidationError as error:
        return render(request, "commerce/studio/statement.html", {
            "storefront": storefront, "error": " ".join(error.messages), "lines": [],
            "months": selectors.statement_months(storefront)}, status=400)
    return render(request, "commerce/studio/statement.html", {
        "storefront": storefront, "year": year, "month": month, "month_value": f"{year:04d}-{month:02d}",
        "lines": selectors.statement(storefront, year, month), "months": selectors.statement_months(storefront)})


@creator_required
@require_GET
def statement_csv(request, slug):
    storefront = _storefront_or_404(request, slug)
    try:
        year, month = _month(request)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statement-{storefront.slug}-{year:04d}-{month:02d}.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("Order number"), _("Course"), _("Entry"), _("Amount"), _("Currency")])
    for line in selectors.statement(storefront, year, month):
        for entry in line.entries:
            writer.writerow([entry.created_at.isoformat(), entry.order.number, _csv_safe(entry.order.course.title),
                             entry.get_kind_display(), entry.amount, entry.currency])
        for label, value in ((_("Gross"), line.gross), (_("Platform fees"), line.fees), (_("Refunds"), line.refunds),
                             (_("Net"), line.net)):
            writer.writerow(["", "", "", label, value, line.currency])
    return response


def _csv_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
