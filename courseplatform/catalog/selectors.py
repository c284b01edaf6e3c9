"""Reads for the marketplace core."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery

from courseplatform.moderation import selectors as moderation

from .models import Category, Course, Enrollment, Review, Storefront


def rating_annotations() -> dict:
    """``n_rating`` and ``avg_rating`` of a course queryset, over the reviews moderators have not hidden (a hidden
    review leaves the course page, so it leaves the course's rating too)."""
    visible = ~Q(reviews__in=moderation.hidden_reviews())
    return {"n_rating": Count("reviews", filter=visible, distinct=True),
            "avg_rating": Avg("reviews__rating", filter=visible)}


def catalogue_courses(*, query: str = "", category: str = "", language: str = "") -> QuerySet[Course]:
    courses = (
        Course.objects.published()
        .select_related("storefront", "category")
        .annotate(n_enrolled=Count("enrollments", distinct=True), **rating_annotations())
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
    """A published course; an unpublished one to its owner; one hidden by moderators (or in a hidden storefront)
    to its owner and moderators. Raises Course.DoesNotExist otherwise."""
    course = Course.objects.select_related("storefront__owner", "category", "moderation",
                                           "storefront__moderation").get(pk=pk)
    if course.storefront.owner_id == getattr(user, "pk", None):
        return course
    if not course.published:
        raise Course.DoesNotExist
    if (_hidden(course) or _hidden(course.storefront)) and not moderation.is_moderator(user):
        raise Course.DoesNotExist
    return course


def _hidden(content) -> bool:
    """Hidden by moderators (``content.moderation`` joined by the caller: no query)."""
    try:
        return content.moderation.hidden
    except ObjectDoesNotExist:
        return False


def storefront_visible_to(slug: str, user) -> Storefront:
    """A storefront, unless moderators hid it (then to its owner and moderators); raises Storefront.DoesNotExist."""
    storefront = storefront_public(slug)
    if storefront.owner_id != getattr(user, "pk", None) and moderation.is_hidden("storefront", storefront.pk) \
            and not moderation.is_moderator(user):
        raise Storefront.DoesNotExist
    return storefront


def course_reviews(course: Course, limit: int = 20) -> list[Review]:
    """The reviews a course page lists (moderator-hidden ones left out)."""
    return list(course.reviews.visible().select_related("learner")[:limit])


def enrollment_for(user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(learner=user, course=course).first()


def review_by(user, course: Course) -> Review | None:
    """``user``'s own review of ``course`` (None for anonymous visitors and learners who have not reviewed it)."""
    if not user.is_authenticated:
        return None
    return Review.objects.filter(learner=user, course=course).first()


def learning(user) -> QuerySet[Enrollment]:
    """The "My learning" page: ``user``'s enrolments with their course, storefront and category, and
    ``my_rating`` (their review's stars, None when they have not reviewed the course). Courses in progress
    first, then completed ones; the latest enrolment or completion first in each group. One query per page."""
    my_review = Review.objects.filter(learner=OuterRef("learner_id"), course=OuterRef("course_id"))
    return (
        Enrollment.objects.filter(learner=user)
        .select_related("course__storefront", "course__category")
        .defer("course__description")
        .annotate(my_rating=Subquery(my_review.values("rating")[:1]))
        .order_by(F("completed_at").desc(nulls_first=True), "-created_at", "-id")
    )


def enrolled_course_ids(user) -> set[int]:
    """Courses the learner is enrolled in (the recommender's ``owned_course_ids`` adds the courses they sell)."""
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(learner=user).values_list("course_id", flat=True))
