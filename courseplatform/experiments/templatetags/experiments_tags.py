from django import template

from courseplatform.experiments import services

register = template.Library()
#: impressions logged for a composed storefront page, whose sections choose the courses they show
PAGE_COURSES = 24


@register.simple_tag(takes_context=True)
def experiment_exposure(context, storefront) -> str:
    """Log, server side and once per page view, that this visitor saw ``storefront``'s courses in their A/B
    test variant (storefront page: an impression per listed course; course page: an impression and a view).
    Renders nothing; does nothing when no experiment runs on the storefront."""
    request = context.get("request")
    if request is None or storefront is None:
        return ""
    course = context.get("course")
    if course is not None and getattr(course, "storefront_id", None) == storefront.pk:
        services.exposure_log(request, storefront, [course.pk], surface="course_page")
        return ""
    courses = context.get("courses")
    if courses is not None:
        ids = [c.pk for c in courses if getattr(c, "storefront_id", None) == storefront.pk]
        services.exposure_log(request, storefront, ids, surface="storefront")
    elif context.get("page_sections"):  # a composed storefront page (courseplatform.pages): its courses
        from courseplatform.catalog.selectors import storefront_courses

        ids = list(storefront_courses(storefront).values_list("pk", flat=True)[:PAGE_COURSES])
        services.exposure_log(request, storefront, ids, surface="storefront")
    return ""
