"""Search as a plugin of the core: the save button on course pages and the staff analytics link."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from courseplatform.hooks import Link, hookimpl

from . import services


@hookimpl
def course_page_panels(request, course) -> str | None:
    """The wishlist button (a POST form) for a logged-in learner on a published course's page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not course.published:
        return None
    return render_to_string("search/_course_panel.html", {"course": course}, request=request)


@hookimpl
def staff_links(request) -> list[Link]:
    user = getattr(request, "user", None)
    if user is None or not user.is_staff:
        return []
    return [Link(_("Search analytics"), reverse("search:analytics"))]


@hookimpl
def content_moderated(kind, object_id, hidden, course_ids) -> None:
    """Hidden or restored courses leave or re-enter the results (a review's course: its rating counts)."""
    if course_ids:
        services.index_courses(course_ids)
