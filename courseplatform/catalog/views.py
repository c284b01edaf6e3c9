from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courseplatform import hooks
from courseplatform.experiments.selectors import running_experiment
from courseplatform.experiments.services import exposure_log
from courseplatform.learning import services as learning_services
from courseplatform.pages.rendering import course_page_sections, page_classes, published_page

from . import selectors, services
from .forms import CourseForm, ReviewForm, StorefrontForm
from .models import Course, Storefront
from .permissions import creator_required

#: courses logged as seen on a composed storefront page during an A/B test (its sections choose what they show)
EXPOSED_COURSES = 24


@require_GET
def home(request):
    query = request.GET.get("q", "")[:100]
    category = request.GET.get("category", "")[:50]
    language = request.GET.get("language", "")[:10]
    courses = selectors.catalogue_courses(query=query, category=category, language=language)
    page = Paginator(courses, 24).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/home.html",
        {
            "page": page,
            "categories": selectors.categories(),
            "course_languages": Course.Language.choices,
            "q": query,
            "category": category,
            "language": language,
        },
    )


@require_GET
def storefront_detail(request, slug):
    try:
        storefront = selectors.storefront_visible_to(slug, request.user)
    except Storefront.DoesNotExist:
        raise Http404 from None
    template = hooks.first("storefront_template", storefront=storefront) or "catalog/storefront.html"
    page_sections = published_page(storefront, request) or None  # none published: hero + all courses
    courses = selectors.storefront_courses(storefront) if page_sections is None else None
    if running_experiment(storefront) is not None:  # logged before rendering: it may start the visitor's session
        shown = courses if courses is not None else selectors.storefront_courses(storefront)[:EXPOSED_COURSES]
        exposure_log(request, storefront, [c.pk for c in shown], surface="storefront")
    return render(request, template, {"storefront": storefront, "courses": courses, "page_classes": page_classes(storefront),
                                      "page_sections": page_sections})


@require_GET
def course_detail(request, pk):
    return _course_page(request, _course_or_404(request, pk))


def _course_page(request, course: Course, *, review_form: ReviewForm | None = None, status: int = 200):
    """The course page; ``review_form`` is a bound form with errors when a review was refused."""
    enrollment = selectors.enrollment_for(request.user, course)
    if review_form is None:
        review_form = ReviewForm(review=selectors.review_by(request.user, course) if enrollment else None)
    storefront = course.storefront
    # an A/B test's exposure, logged before rendering: it may start the visitor's session
    exposure_log(request, storefront, [course.pk], surface="course_page")
    return render(
        request,
        "catalog/course.html",
        {
            "course": course,
            "storefront": storefront,
            "enrollment": enrollment,
            "reviews": selectors.course_reviews(course),
            "review_form": review_form,
            "storefront_sections": course_page_sections(storefront, request),
        },
        status=status,
    )


def _course_or_404(request, pk) -> Course:
    try:
        return selectors.course_visible_to(pk, request.user)
    except Course.DoesNotExist:
        raise Http404 from None


#: enrolments per "My learning" page (each card's cover costs a bounded number of queries)
LEARNING_PAGE_SIZE = 24


@login_required
@require_GET
def my_learning(request):
    """The learner's courses: progress, a link to each, whether they reviewed it (every logged-in user)."""
    page = Paginator(selectors.learning(request.user), LEARNING_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/my_learning.html", {"page": page})


@login_required
@require_POST
def course_enroll(request, pk):
    course = _course_or_404(request, pk)
    if course.price > 0:  # a paid course is bought: its checkout (commerce) enrols once the order is paid
        return redirect("commerce:checkout", pk=course.pk)
    try:
        _enrollment, created = services.enroll(learner=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if created:
            messages.success(request, _("You are enrolled. Enjoy the course!"))
    return redirect(course)


@login_required
@require_POST
def course_complete(request, pk):
    course = _course_or_404(request, pk)
    try:  # a course with a curriculum completes only once its required lessons are done
        learning_services.course_completion_claim(learner=request.user, course=course)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as complete. Well done!"))
    return redirect(course)


@login_required
@require_POST
def course_review(request, pk):
    course = _course_or_404(request, pk)
    if selectors.enrollment_for(request.user, course) is None:
        messages.error(request, _("Only learners enrolled in this course can review it."))
        return redirect(course)
    existing = selectors.review_by(request.user, course)
    form = ReviewForm(request.POST, review=existing)
    if not form.is_valid():  # the page again, each error beside its field and the learner's text kept
        return _course_page(request, course, review_form=form, status=400)
    try:
        services.review_submit(learner=request.user, course=course, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your review has been updated.") if existing else
                         _("Thank you for your review."))
    return redirect(course)


@creator_required
@require_GET
def studio(request):
    return render(
        request,
        "catalog/studio.html",
        {"storefronts": selectors.storefronts_for(request.user), "courses": selectors.courses_for(request.user)},
    )


@creator_required
@require_http_methods(["GET", "POST"])
def storefront_create(request):
    form = StorefrontForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            storefront = services.storefront_create(owner=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Storefront created."))
            return redirect("catalog:studio_storefront", slug=storefront.slug)
    return render(request, "catalog/storefront_form.html", {"form": form, "creating": True})


@creator_required
@require_http_methods(["GET", "POST"])
def storefront_edit(request, slug):
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    form = StorefrontForm(request.POST or None, request.FILES or None, instance=storefront)
    if request.method == "POST" and form.is_valid():
        try:
            services.storefront_update(storefront=storefront, actor=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Storefront saved."))
            return redirect("catalog:studio_storefront", slug=storefront.slug)
    courses = selectors.storefront_courses(storefront, include_unpublished=True)
    return render(
        request, "catalog/storefront_form.html", {"form": form, "storefront": storefront, "courses": courses}
    )


@creator_required
@require_http_methods(["GET", "POST"])
def course_create(request, slug):
    storefront = get_object_or_404(Storefront.objects.owned_by(request.user), slug=slug)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(storefront=storefront, actor=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Course created."))
            return redirect("catalog:studio_course", pk=course.pk)
    return render(request, "catalog/course_form.html", {
        "form": form, "storefront": storefront, "creating": True})


@creator_required
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = get_object_or_404(Course.objects.owned_by(request.user).select_related("storefront"), pk=pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(course=course, actor=request.user, data=form.service_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Course saved."))
            return redirect("catalog:studio_course", pk=course.pk)
    return render(request, "catalog/course_form.html", {
        "form": form, "storefront": course.storefront, "course": course})
