"""Reads for the recommender: the feed shown to a visitor."""

from django.db.models import Count

from courseplatform.catalog.models import Course


def popular_courses(limit: int = 20, exclude: set[int] | None = None):
    courses = Course.objects.published().select_related("storefront", "category")
    if exclude:
        courses = courses.exclude(pk__in=exclude)
    return courses.annotate(n=Count("enrollments")).order_by("-n", "-id")[:limit]


def feed_for_request(request, limit: int = 20) -> list[dict]:
    """Courses for the home page's "Recommended for you" list, each with a short reason."""
    from django.utils.translation import gettext as _

    return [{"course": c, "reason": _("Popular on the platform")} for c in popular_courses(limit)]
