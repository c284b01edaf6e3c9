"""Experiment and analytics pages for a storefront's owner (and staff, for any storefront). Thin: the
writes are in ``services``, the reads in ``selectors`` and ``analytics``, the charts in ``charts``."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform.catalog.models import Storefront
from courseplatform.catalog.permissions import creator_required

from . import analytics as reads
from . import charts, selectors, services
from .forms import ExperimentForm
from .models import Experiment


def _storefront(request, slug) -> Storefront:
    storefronts = Storefront.objects.all() if request.user.is_staff else Storefront.objects.owned_by(request.user)
    return get_object_or_404(storefronts, slug=slug)


def _experiment(storefront, pk) -> Experiment:
    return get_object_or_404(Experiment.objects.filter(storefront=storefront), pk=pk)


def _png(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type="image/png")
    response["Cache-Control"] = "private, no-cache"  # results change with every visitor
    return response


@creator_required
@require_http_methods(["GET", "POST"])
def experiment_list(request, slug):
    storefront = _storefront(request, slug)
    form = ExperimentForm(request.POST or None, arms=selectors.arm_choices(storefront))
    if request.method == "POST" and form.is_valid():
        try:
            experiment = services.experiment_create(storefront=storefront, actor=request.user,
                                                    **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Experiment created. Start it when you are ready."))
            return redirect("experiments:detail", slug=storefront.slug, pk=experiment.pk)
    return render(request, "experiments/experiment_list.html", {
        "storefront": storefront, "form": form, "experiments": selectors.experiments_for(storefront)})


@creator_required
@require_GET
def experiment_detail(request, slug, pk):
    storefront = _storefront(request, slug)
    experiment = _experiment(storefront, pk)
    results = selectors.experiment_results(experiment)
    kind = selectors.arm_kind(experiment.kind)  # None: the plugin behind this kind is not installed
    variants = [r.variant for r in results["variants"]]
    described = kind.describe(variants) if kind else {}
    for variant in variants:
        variant.arm_html = described.get(variant.key) or variant.arm
    return render(request, "experiments/experiment_detail.html", {
        "storefront": storefront, "experiment": experiment, "results": results,
        "arm_stylesheets": kind.stylesheet_urls([v.arm for v in variants]) if kind else [],
        "verdict": results["verdict"], "verdict_text": results["verdict_text"],
        "outcome_label": getattr(kind, "outcome_label", ""), "arm_label": getattr(kind, "label", "")})


@creator_required
@require_GET
def experiment_chart(request, slug, pk):
    storefront = _storefront(request, slug)
    # experiment_results reuses the counts the page request just cached (keyed by the newest tagged row)
    return _png(charts.experiment_chart(selectors.experiment_results(_experiment(storefront, pk))))


ACTIONS = {
    "start": (services.experiment_start, gettext_lazy("The experiment is running: visitors now see their variant.")),
    "stop": (services.experiment_stop, gettext_lazy("The experiment is stopped; its data are kept.")),
    "finish": (services.experiment_finish, gettext_lazy("The experiment is finished.")),
}


@creator_required
@require_POST
def experiment_action(request, slug, pk, action):
    storefront = _storefront(request, slug)
    experiment = _experiment(storefront, pk)
    try:
        if action == "promote":
            done = services.experiment_promote(experiment=experiment, actor=request.user,
                                               variant_key=request.POST.get("variant", "")[:8])
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(experiment=experiment, actor=request.user)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect("experiments:detail", slug=storefront.slug, pk=experiment.pk)


def _period(request) -> tuple[str, int]:
    period = request.GET.get("period", "day")
    period = period if period in reads.PERIODS else "day"
    try:
        days = int(request.GET.get("days", 90))
    except ValueError:
        days = 90
    return period, max(1, min(reads.MAX_DAYS, days))


@creator_required
@require_GET
def analytics(request, slug):
    storefront = _storefront(request, slug)
    period, days = _period(request)
    points = reads.over_time(storefront, period=period, days=days)
    totals = reads.Row()
    for _date, row in points:
        totals.impressions += row.impressions
        totals.clicks += row.clicks
        totals.clicks_signed_in += row.clicks_signed_in
        totals.enrolments += row.enrolments
        totals.revenue += row.revenue
    return render(request, "experiments/analytics.html", {
        "storefront": storefront, "period": period, "days": days, "points": points, "totals": totals,
        "courses": reads.by_course(storefront, days=days), "variants": reads.by_variant(storefront),
        "day_choices": (7, 30, 90, 365)})


@creator_required
@require_GET
def analytics_chart(request, slug, chart):
    storefront = _storefront(request, slug)
    period, days = _period(request)
    if chart == "over-time":
        return _png(charts.over_time_chart(reads.over_time(storefront, period=period, days=days), period))
    if chart == "by-course":
        return _png(charts.by_course_chart(reads.by_course(storefront, days=days)))
    if chart == "by-variant":
        return _png(charts.by_variant_chart(reads.by_variant(storefront)))
    raise Http404


def _cell(value) -> str:
    """Neutralise spreadsheet formulas in text cells (OWASP "CSV Injection")."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@creator_required
@require_GET
def analytics_csv(request, slug):
    storefront = _storefront(request, slug)
    period, days = _period(request)
    by = request.GET.get("by", "course")
    if by not in ("course", "variant"):  # the value also names the file: only known values reach the header
        return HttpResponseBadRequest(_("Export by 'course' or 'variant'."), content_type="text/plain; charset=utf-8")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{storefront.slug}-analytics-{by}.csv"'
    response.write("\ufeff")  # a BOM, so spreadsheet programs read Chinese titles as UTF-8
    writer = csv.writer(response)
    if by == "variant":
        writer.writerow(["experiment_id", "experiment", "status", "variant", "arm", "visitors",
                         "click_throughs", "click_through_rate", "enrolments", "enrolment_rate", "revenue"])
        for r in reads.by_variant(storefront):
            writer.writerow([r["experiment"].pk, _cell(r["experiment"].name), r["experiment"].status,
                             r["variant"].key, _cell(r["variant"].arm), r["visitors"], r["clickers"],
                             f"{r['click_rate']:.4f}", r["enrollers"], f"{r['enroll_rate']:.4f}", f"{r['revenue']:.2f}"])
        return response
    data = reads.table(storefront, period=period, days=days, by_course=True)
    writer.writerow(["period_start", "course_id", "course", "impressions", "click_throughs", "click_through_rate",
                     "enrolments", "revenue", "click_throughs_signed_in"])
    titles = dict(data["courses"])
    for (bucket, course_id), row in sorted(data["rows"].items(), key=lambda kv: (kv[0][0], titles.get(kv[0][1], ""))):
        if course_id is None:
            continue
        writer.writerow([bucket.isoformat(), course_id, _cell(titles.get(course_id, "")), row.impressions,
                         row.clicks, f"{row.click_through:.4f}", row.enrolments, f"{row.revenue:.2f}",
                         row.clicks_signed_in])
    return response
