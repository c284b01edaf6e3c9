"""The curriculum's answers to the core's hooks: a link to the curriculum editor on the course form."""

from django.template.loader import render_to_string

from courseplatform.hooks import hookimpl


@hookimpl
def course_form_panels(request, storefront, course, form) -> str | None:
    if not getattr(course, "pk", None):  # creating: no curriculum yet
        return None
    return render_to_string("learning/studio/_course_form_link.html", {"course": course}, request=request)
