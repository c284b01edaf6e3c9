"""The curriculum's answers to the core's hooks: a link to the curriculum editor on the course form; section
and lesson titles and video length for the search index."""

from collections import defaultdict

from django.db.models import Sum
from django.template.loader import render_to_string

from courseplatform.hooks import hookimpl

from .models import Lesson, Section


@hookimpl
def course_form_panels(request, storefront, course, form) -> str | None:
    if not getattr(course, "pk", None):  # creating: no curriculum yet
        return None
    return render_to_string("learning/studio/_course_form_link.html", {"course": course}, request=request)


@hookimpl
def search_course_extras(course_ids: list[int]) -> dict[int, dict]:
    """Section and lesson titles (weight D) and the videos' total length, in three queries per batch."""
    texts: dict[int, list[str]] = defaultdict(list)
    for course_id, title in Section.objects.filter(course_id__in=course_ids).values_list("course_id", "title"):
        texts[course_id].append(title)
    for course_id, title in Lesson.objects.filter(section__course_id__in=course_ids).values_list(
            "section__course_id", "title"):
        texts[course_id].append(title)
    durations = dict(Lesson.objects.filter(section__course_id__in=course_ids, duration_s__isnull=False)
                     .values("section__course_id").annotate(total=Sum("duration_s"))
                     .values_list("section__course_id", "total"))
    return {course_id: {"text": " ".join(texts.get(course_id, [])), "duration_s": durations.get(course_id, 0.0)}
            for course_id in set(texts) | set(durations)}
