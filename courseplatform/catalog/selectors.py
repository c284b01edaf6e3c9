"""Reads for the marketplace core."""

from django.db.models import Avg, Count, F, OuterRef, Q, QuerySet, Subquery

from .models import Category, Course, Enrollment, Review, Storefront


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


def owned_course_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Enrollment.objects.filter(learner=user).values_list("course_id", flat=True))


#: how many "You may also like" cards a course page shows
ALSO_LIKE_LIMIT = 4


def also_like(course: Course, user, *, limit: int = ALSO_LIKE_LIMIT) -> list[dict]:
    """The course page's "You may also like" list: ``[{"course": Course, "reason": str}]``, best first.

    First the active recommender version's neighbours of ``course`` (collaborative before content, each by
    score: :class:`recommender.models.CourseSimilarity`), then, when those run short (no active version, a
    course the model has not seen), the recommender's popularity table restricted to this course's storefront
    and category: same storefront and category, then same storefront, then same category. The course itself,
    unpublished courses and courses the visitor is enrolled in are left out.

    A bounded number of queries whatever the catalogue's size: enrolments, the neighbours, the storefront's
    course ids (only when falling back), one fetch of the picked courses; the active version and the
    popularity table come from the recommender's cache.
    """
    from django.utils.translation import gettext as _

    from recommender.models import CourseSimilarity
    from recommender.selectors import active_version_id, popularity_table

    exclude = {course.pk} | owned_course_ids(user)
    picked: dict[int, str] = {}  # course id -> reason text, in rank order

    version_id = active_version_id()
    if version_id:
        collaborative = CourseSimilarity.Kind.COLLABORATIVE
        rows = (CourseSimilarity.objects.filter(version_id=version_id, course_id=course.pk)
                .exclude(other_id__in=exclude).order_by("-score", "other_id")
                .values_list("other_id", "kind")[: 4 * limit])  # slack for unpublished neighbours
        rows = sorted(rows, key=lambda r: r[1] != collaborative)  # stable: collaborative first, each by score
        for other_id, kind in rows:
            picked.setdefault(other_id, _("Learners who took this course also took it") if kind == collaborative
                              else _("Similar to this course"))

    courses: dict[int, Course] = {}
    if picked:
        courses = (Course.objects.published().select_related("storefront", "category").defer("description")
                   .in_bulk(list(picked)))
        picked = {cid: reason for cid, reason in picked.items() if cid in courses}
    if len(picked) < limit:
        same_shop = set(course.storefront.courses.published().values_list("id", flat=True))

        def priority(row) -> int:
            cid, category_id, _n = row
            return (0 if cid in same_shop else 2) + (0 if category_id == course.category_id else 1)

        table = [r for r in popularity_table(version_id) if r[0] not in exclude and r[0] not in picked
                 and (r[0] in same_shop or r[1] == course.category_id)]
        fill = sorted(table, key=priority)[: limit - len(picked)]  # stable: most popular first in each group
        more = (Course.objects.published().select_related("storefront", "category").defer("description")
                .in_bulk([cid for cid, _c, _n in fill])) if fill else {}
        for cid, _c, _n in fill:
            if cid in more:
                courses[cid] = more[cid]
                picked[cid] = (_("More from %(storefront)s") % {"storefront": course.storefront.name}
                               if cid in same_shop else
                               _("Popular in %(category)s") % {"category": course.category})
    out = []
    for cid, reason in list(picked.items())[:limit]:
        item = courses[cid]
        if item.storefront_id == course.storefront_id:
            item.storefront = course.storefront  # one instance: its palette and experiment are looked up once
        out.append({"course": item, "reason": reason})
    return out
