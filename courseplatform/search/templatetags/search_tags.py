"""``{% wishlist_button course %}``: the save / remove button of a course card or page (a POST form: it works
without JavaScript). The learner's saved courses are read once per request, however many cards a page has."""

from django import template
from django.template.loader import render_to_string

from .. import selectors

register = template.Library()
_CACHE_ATTR = "_search_saved_course_ids"


def saved_ids(request) -> set[int]:
    ids = getattr(request, _CACHE_ATTR, None)
    if ids is None:
        ids = selectors.saved_course_ids(getattr(request, "user", None))
        setattr(request, _CACHE_ATTR, ids)
    return ids


@register.simple_tag(takes_context=True)
def wishlist_button(context, course, surface: str = "card") -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or user is None or not user.is_authenticated:
        return ""
    return render_to_string("search/_wishlist_button.html", {
        "course": course, "saved": course.pk in saved_ids(request), "surface": surface,
        "next": request.get_full_path()}, request=request)
