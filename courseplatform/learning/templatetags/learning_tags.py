"""Curriculum pieces for the catalogue's pages (reads only)."""

from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("learning/_course_panel.html", takes_context=True)
def course_curriculum(context, course, enrollment=None) -> dict:
    """The course page's curriculum: the outline with locks, progress, "continue where you left off", the
    certificate; a course without lessons keeps the plain "Mark as complete" button."""
    request = context["request"]
    return {"course": course, "enrollment": enrollment, "request": request,
            "csrf_token": context.get("csrf_token"),
            "outline": selectors.outline(request.user, course, enrollment if enrollment else None),
            "certificate": selectors.certificate_for(request.user, course) if enrollment else None}


@register.simple_tag(takes_context=True)
def learning_progress(context, enrollments) -> dict:
    """{course id: CardProgress} for the enrolments on a "My learning" page."""
    return selectors.learning_progress(context["request"].user, enrollments)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, ()) if mapping else ()
