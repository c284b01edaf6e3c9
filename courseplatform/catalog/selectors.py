"""Reads for the marketplace core."""

from django.db.models import Avg, Count, Q, QuerySet

from .models import Category, Course, Enrollment, Storefront


def catalogue_courses(*, query: str = "", category: str = "", language: str = "") -> QuerySet[Course]:
    courses = (
        Course.objects.published()
        .select_related("storefront", "category")
        .annotate(n_enrolled=Count("enrollments", distinct=True), avg_rating=Avg("reviews__rating"))
        .order_by("-created_at", "-id")
    )
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(subtitle__icontains=query))
    if category:
        courses = courses.filter(category__slug=category)
    if language:
        courses = courses.filter(language=language)
    return courses


def categories() -> QuerySet[Category]:
    return Category.objects.order_by("name")


def storefront_public(slug: str) -> Storefront:
    return Storefront.objects.select_related("owner").get(slug=slug)


def storefront_courses(storefront: Storefront, *, include_unpublished: bool = False) -> QuerySet[Course]:
    courses = storefront.courses.select_related("category")
    return courses if include_unpublished else courses.published()


def storefronts_for(user) -> QuerySet[Storefront]:
    return Storefront.objects.owned_by(user).annotate(n_courses=Count("courses"))


def courses_for(user) -> QuerySet[Course]:
    return Course.objects.owned_by(user).select_related("storefront", "category")


def course_visible_to(pk: int, user) -> Course:
    """A published course, or an unpublished one to its owner; raises Course.DoesNotExist otherwise."""
    course = Course.objects.select_related("storefront__owner", "category").get(pk=pk)
    if not course.published and course.storefront.owner_id != getattr(user, "pk", None):
        raise Course.DoesNotExist
    return course


def enrollment_for(user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(learner=user, course=course).first()


def owned_course_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(learner=user).values_list("course_id", flat=True))
