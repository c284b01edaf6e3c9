"""Reads for moderation: what is hidden, the staff queue, a case's history, the owner's notices."""

from django.core.cache import cache
from django.db.models import Q, QuerySet

from courseplatform.catalog.models import Course, Review, Storefront
from courseplatform.pages.models import StorefrontPage

from .models import TARGET_FIELDS, Case, ContentKind, Decision, Report

#: the hidden courses (directly or through their storefront), for serving paths that filter ids they cached
HIDDEN_COURSES_KEY = "moderation:hidden-courses"
HIDDEN_COURSES_TTL_S = 600
#: cases per page of the queue
QUEUE_PAGE_SIZE = 30


class Queue:
    OPEN = "open"
    HIDDEN = "hidden"
    ALL = "all"
    CHOICES = (OPEN, HIDDEN, ALL)


def content_for(kind: str, pk: int):
    """The reportable content of ``kind`` with this id, or ``None`` (unknown kind or id)."""
    model = {ContentKind.STOREFRONT: Storefront, ContentKind.PAGE: StorefrontPage, ContentKind.COURSE: Course,
             ContentKind.REVIEW: Review}.get(kind)
    if model is None:
        return None
    related = {Storefront: ("owner",), StorefrontPage: ("storefront__owner",), Course: ("storefront__owner",),
               Review: ("learner", "course__storefront")}[model]
    return model.objects.select_related(*related).filter(pk=pk).first()


def owner_of(kind: str, content):
    if kind == ContentKind.STOREFRONT:
        return content.owner
    if kind in (ContentKind.PAGE, ContentKind.COURSE):
        return content.storefront.owner
    return content.learner


def owner_id_of(kind: str, content) -> int:
    if kind == ContentKind.STOREFRONT:
        return content.owner_id
    if kind in (ContentKind.PAGE, ContentKind.COURSE):
        return content.storefront.owner_id
    return content.learner_id


def publicly_visible(kind: str, content) -> bool:
    """Whether the public sees ``content`` now (only that can be reported)."""
    if kind == ContentKind.STOREFRONT:
        return not is_hidden(ContentKind.STOREFRONT, content.pk)
    if kind == ContentKind.PAGE:
        return content.published_version_id is not None and not (
            is_hidden(ContentKind.PAGE, content.pk) or is_hidden(ContentKind.STOREFRONT, content.storefront_id))
    course = content if kind == ContentKind.COURSE else content.course
    if not Course.objects.published().filter(pk=course.pk).exists():
        return False
    return kind == ContentKind.COURSE or not is_hidden(ContentKind.REVIEW, content.pk)


def is_moderator(user) -> bool:
    """Staff with the ``moderation.moderate_content`` permission (they see hidden content, with the notice)."""
    return bool(user is not None and user.is_authenticated and user.is_staff
                and user.has_perm("moderation.moderate_content"))


def case_for(kind: str, content) -> Case | None:
    return Case.objects.filter(**{TARGET_FIELDS[ContentKind(kind)]: content}).first()


def is_hidden(kind: str, pk: int) -> bool:
    return Case.objects.filter(hidden=True, **{f"{TARGET_FIELDS[ContentKind(kind)]}_id": pk}).exists()


def hidden_reviews() -> QuerySet:
    """``review_id`` of every review hidden by moderators (a subquery for rating aggregates)."""
    return Case.objects.filter(hidden=True, review__isnull=False).values("review_id")


def hidden_review_ids(course_id: int) -> set[int]:
    return set(Case.objects.filter(hidden=True, review__course_id=course_id).values_list("review_id", flat=True))


def hidden_course_ids() -> frozenset[int]:
    """Ids of every hidden course, directly or through its storefront (cached; dropped when a decision
    commits). For serving paths that filter a ranking they cached earlier (the recommender's feed)."""
    ids = cache.get(HIDDEN_COURSES_KEY)
    if ids is None:
        direct = Case.objects.filter(hidden=True, course__isnull=False).values_list("course_id", flat=True)
        shops = Case.objects.filter(hidden=True, storefront__isnull=False).values("storefront_id")
        ids = sorted(set(direct) | set(Course.objects.filter(storefront_id__in=shops).values_list("id", flat=True)))
        cache.set(HIDDEN_COURSES_KEY, ids, HIDDEN_COURSES_TTL_S)
    return frozenset(ids)


def queue(which: str = Queue.OPEN) -> QuerySet[Case]:
    """The staff queue: open cases (reports waiting for a decision) most reported first; or the hidden ones;
    or every case."""
    cases = Case.objects.select_related("storefront", "page__storefront", "course__storefront",
                                        "review__course", "owner")
    if which == Queue.OPEN:
        return cases.filter(open=True).order_by("-reports_count", "-last_reported_at", "-id")
    if which == Queue.HIDDEN:
        return cases.filter(hidden=True).order_by("-decided_at", "-id")
    return cases.order_by("-updated_at", "-id")


def case_detail(pk: int) -> Case:
    """Raises ``Case.DoesNotExist``."""
    return Case.objects.select_related("storefront__owner", "page__storefront", "course__storefront",
                                       "review__course", "review__learner", "owner", "decided_by").get(pk=pk)


def case_reports(case: Case) -> QuerySet[Report]:
    return case.reports.select_related("reporter").order_by("-created_at", "-id")


def case_decisions(case: Case) -> QuerySet[Decision]:
    return case.decisions.select_related("actor").order_by("-created_at", "-id")


def reason_counts(case: Case) -> list[tuple[str, int]]:
    """``(reason label, count)``, most frequent first."""
    counts: dict[str, int] = {}
    for report in case.reports.only("reason"):
        label = str(report.get_reason_display())
        counts[label] = counts.get(label, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def owner_notices(user) -> QuerySet[Case]:
    """The user's content that moderators hid, or restored with a note: what the studio page tells them."""
    if not user.is_authenticated:
        return Case.objects.none()
    return (Case.objects.filter(owner=user, decided_at__isnull=False)
            .filter(Q(hidden=True) | ~Q(owner_note=""))
            .select_related("storefront", "page__storefront", "course__storefront", "review__course")
            .order_by("-decided_at", "-id")[:20])


def reports_in_window(user, since) -> list:
    """Times of ``user``'s reports since ``since``, oldest first (the rate limit)."""
    return list(Report.objects.filter(reporter=user, created_at__gte=since).order_by("created_at")
                .values_list("created_at", flat=True))


def case_for_page_of(storefront) -> Case | None:
    return Case.objects.filter(page__storefront_id=storefront.pk).first()
