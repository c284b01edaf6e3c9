"""Reads for the creator analytics dashboard: enrolments, click-through and revenue over time, by course and
by palette variant.

Enrolments come from :class:`~courseplatform.catalog.models.Enrollment` (a paid course enrols only once its
order is paid; a refund ends the enrolment); revenue only from paid orders (:mod:`courseplatform.commerce`: a
refunded order is no revenue), dated when paid; impressions and click-throughs from the interaction log.
Click-through = (course-page views + clicks) ÷ impressions on the storefront's courses, counted as events.

Impressions and click-throughs are reported by browsers and cannot be verified (anyone can send them); enrolments
and revenue are outcomes the server recorded. The dashboard keeps the two apart, and splits click-throughs by
whether a signed-in learner made them (``clicks_signed_in``), the share that an anonymous script cannot inflate.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDay, TruncWeek
from django.utils import timezone

from courseplatform.catalog.models import Enrollment
from courseplatform.commerce.models import Order, OrderStatus
from courseplatform.events import selectors as events

from .models import ExperimentStatus
from .selectors import experiments_for, visitor_counts

PERIODS = {"day": TruncDay, "week": TruncWeek}
MAX_DAYS = 366


@dataclass
class Row:
    impressions: int = 0
    clicks: int = 0
    clicks_signed_in: int = 0
    enrolments: int = 0
    revenue: Decimal = field(default_factory=lambda: Decimal("0"))

    @property
    def click_through(self) -> float:
        return self.clicks / self.impressions if self.impressions else 0.0


def window(days: int) -> tuple[dt.datetime, int]:
    days = max(1, min(MAX_DAYS, int(days)))
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    return timezone.make_aware(dt.datetime.combine(start, dt.time.min)), days


def _bucket_starts(since: dt.datetime, period: str) -> list[dt.date]:
    day, today = timezone.localtime(since).date(), timezone.localdate()
    if period == "week":
        day -= dt.timedelta(days=day.weekday())  # TruncWeek: weeks start on Monday (ISO 8601)
    step = dt.timedelta(days=7 if period == "week" else 1)
    out = []
    while day <= today:
        out.append(day)
        day += step
    return out


def _as_date(value) -> dt.date:
    return timezone.localtime(value).date() if isinstance(value, dt.datetime) else value


def _interactions(storefront, since):
    return events.storefront_activity(storefront, since=since)


def _counts(qs):
    return dict(impressions=Count("id", filter=Q(type="impression")),
                clicks=Count("id", filter=Q(type__in=["click", "view"])),
                clicks_signed_in=Count("id", filter=Q(type__in=["click", "view"], user__isnull=False)))


def table(storefront, *, period: str = "day", days: int = 90, by_course: bool = False) -> dict:
    """``{(bucket start, course id or None): Row}`` densely filled for every bucket (and course when
    ``by_course``), plus ``buckets`` and ``courses`` in order."""
    trunc = PERIODS.get(period, TruncDay)
    since, days = window(days)
    buckets = _bucket_starts(since, period)
    keys = ["bucket", "course_id"] if by_course else ["bucket"]
    courses = list(storefront.courses.order_by("title").values_list("pk", "title")) if by_course else []
    rows: dict = {}
    for b in buckets:
        for cid in ([c[0] for c in courses] if by_course else [None]):
            rows[(b, cid)] = Row()
    events = (_interactions(storefront, since).annotate(bucket=trunc("ts")).values(*keys)
              .annotate(**_counts(None)).order_by())
    for e in events:
        row = rows.setdefault((_as_date(e["bucket"]), e.get("course_id")), Row())
        row.impressions += e["impressions"]
        row.clicks += e["clicks"]
        row.clicks_signed_in += e["clicks_signed_in"]
    enrolments = (Enrollment.objects.filter(course__storefront=storefront, created_at__gte=since)
                  .annotate(bucket=trunc("created_at")).values(*keys)
                  .annotate(n=Count("id")).order_by())
    for e in enrolments:
        rows.setdefault((_as_date(e["bucket"]), e.get("course_id")), Row()).enrolments += e["n"]
    paid = (Order.objects.filter(storefront=storefront, status=OrderStatus.PAID, paid_at__gte=since)
            .annotate(bucket=trunc("paid_at")).values(*keys).annotate(revenue=Sum("amount")).order_by())
    for p in paid:
        rows.setdefault((_as_date(p["bucket"]), p.get("course_id")), Row()).revenue += p["revenue"] or Decimal("0")
    return {"rows": rows, "buckets": buckets, "courses": courses, "period": period, "days": days}


def over_time(storefront, *, period: str = "day", days: int = 90) -> list[tuple[dt.date, Row]]:
    data = table(storefront, period=period, days=days)
    return [(b, data["rows"][(b, None)]) for b in data["buckets"]]


def by_course(storefront, *, days: int = 90) -> list[tuple[int, str, Row]]:
    """Totals per course over the window, most enrolments first."""
    data = table(storefront, period="week", days=days, by_course=True)
    totals = {cid: Row() for cid, _t in data["courses"]}
    for (_b, cid), row in data["rows"].items():
        total = totals.setdefault(cid, Row())
        total.impressions += row.impressions
        total.clicks += row.clicks
        total.clicks_signed_in += row.clicks_signed_in
        total.enrolments += row.enrolments
        total.revenue += row.revenue
    titles = dict(data["courses"])
    out = [(cid, titles.get(cid, str(cid)), row) for cid, row in totals.items() if cid is not None]
    return sorted(out, key=lambda item: (-item[2].enrolments, -item[2].clicks, item[1]))


def by_variant(storefront) -> list[dict]:
    """Per experiment (newest first) and variant: visitors, click-through and enrolment rates, revenue."""
    out = []
    for experiment in experiments_for(storefront).exclude(status=ExperimentStatus.DRAFT):
        counts = visitor_counts(experiment)
        enrolled = (events.tagged(experiment.tag).filter(type="enroll", user__isnull=False)
                    .values_list("variant", "user_id", "course_id").distinct())
        pairs: dict[str, set] = {}
        for variant, user_id, course_id in enrolled:
            pairs.setdefault(variant, set()).add((user_id, course_id))
        for variant in experiment.variants.all():
            c = counts.get(variant.key, {"visitors": 0, "clickers": 0, "enrollers": 0})
            wanted = pairs.get(variant.key, set())
            revenue = Decimal("0")
            if wanted:  # paid orders of the variant's enrolments (refunded ones are no revenue)
                paid = Order.objects.filter(status=OrderStatus.PAID, learner_id__in={u for u, _c in wanted},
                                            course_id__in={c for _u, c in wanted})
                revenue = sum((amount for u, c, amount in paid.values_list("learner_id", "course_id", "amount")
                               if (u, c) in wanted), Decimal("0"))
            out.append({"experiment": experiment, "variant": variant, "revenue": revenue, **c,
                        "click_rate": c["clickers"] / c["visitors"] if c["visitors"] else 0.0,
                        "enroll_rate": c["enrollers"] / c["visitors"] if c["visitors"] else 0.0,
                        "click_pct": 100 * c["clickers"] / c["visitors"] if c["visitors"] else 0.0,
                        "enroll_pct": 100 * c["enrollers"] / c["visitors"] if c["visitors"] else 0.0})
    return out
