"""Reads for the curriculum: who may see a lesson, a learner's outline and progress, where to continue."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from courseplatform.catalog.models import Course, Enrollment

from .models import Certificate, Lesson, LessonProgress, QuizAttempt, Section


@dataclass(frozen=True)
class Access:
    """Whether a user may see a lesson. ``reason``: "manager" (creator or staff), "enrolled", "preview",
    "login" (anonymous, not a preview), "enrol" (logged in, not enrolled), "locked" (drip: opens at
    ``opens_at``), "hidden" (the course is a draft the user may not see)."""

    allowed: bool
    reason: str
    opens_at: datetime.datetime | None = None


def is_manager(user, course: Course) -> bool:
    return bool(user.is_authenticated and (user.is_staff or course.storefront.owner_id == user.pk))


def enrollment_of(user, course: Course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(learner=user, course=course).first()


def opens_at(lesson: Lesson, enrollment: Enrollment | None) -> datetime.datetime | None:
    """When a drip lesson opens for this enrolment (the later of its two rules); None: open from enrolment."""
    times = []
    if lesson.drip_days and enrollment is not None:
        times.append(enrollment.created_at + datetime.timedelta(days=lesson.drip_days))
    if lesson.drip_date:
        times.append(timezone.make_aware(datetime.datetime.combine(lesson.drip_date, datetime.time.min)))
    return max(times) if times else None


def lesson_access(user, lesson: Lesson, course: Course, enrollment: Enrollment | None | bool = False) -> Access:
    """The one rule for lessons and their media. ``enrollment`` False: looked up."""
    if is_manager(user, course):
        return Access(True, "manager")
    if not course.published:
        return Access(False, "hidden")
    if enrollment is False:
        enrollment = enrollment_of(user, course)
    if enrollment is not None:
        when = opens_at(lesson, enrollment)
        if when is not None and when > timezone.now() and not lesson.is_preview:
            return Access(False, "locked", when)
        return Access(True, "enrolled")
    if lesson.is_preview:
        return Access(True, "preview")
    return Access(False, "login" if not user.is_authenticated else "enrol")


def lesson_with_course(pk: int) -> Lesson:
    return Lesson.objects.select_related("section__course__storefront__owner").get(pk=pk)


def curriculum(course: Course) -> list[Section]:
    """Sections in order, each with ``lessons`` (ordered) prefetched. Two queries."""
    return list(course.sections.prefetch_related(
        Prefetch("lessons", queryset=Lesson.objects.order_by("position", "id"))))


def questions_for(lesson: Lesson) -> QuerySet:
    return lesson.questions.prefetch_related("choices")


@dataclass
class OutlineLesson:
    lesson: Lesson
    access: Access
    completed: bool


@dataclass
class Outline:
    """A course's curriculum as one user sees it."""

    sections: list[tuple[Section, list[OutlineLesson]]] = field(default_factory=list)
    required: int = 0
    done: int = 0
    next_lesson: Lesson | None = None  # where to continue
    enrolled: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 0

    @property
    def lessons(self) -> list[OutlineLesson]:
        return [item for _section, items in self.sections for item in items]

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.done >= self.required


def outline(user, course: Course, enrollment: Enrollment | None | bool = False) -> Outline:
    """The curriculum with each lesson's access and completion for ``user``, progress over the required lessons,
    and the lesson to continue with. A bounded number of queries."""
    if enrollment is False:
        enrollment = enrollment_of(user, course)
    sections = curriculum(course)
    completed = completed_lesson_ids(user, course)
    result = Outline(enrolled=enrollment is not None)
    for section in sections:
        items = []
        for lesson in section.lessons.all():
            items.append(OutlineLesson(lesson, lesson_access(user, lesson, course, enrollment), lesson.pk in completed))
            if lesson.required:
                result.required += 1
                result.done += lesson.pk in completed
        result.sections.append((section, items))
    result.next_lesson = continue_lesson(user, [item for item in result.lessons], completed)
    return result


def completed_lesson_ids(user, course: Course) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(LessonProgress.objects.filter(learner=user, lesson__section__course=course,
                                             completed_at__isnull=False).values_list("lesson_id", flat=True))


def continue_lesson(user, items: list[OutlineLesson], completed: set[int]) -> Lesson | None:
    """Where the learner left off: the lesson they last worked on if unfinished, else the first open
    unfinished lesson after it (then from the start)."""
    open_items = [item for item in items if item.access.allowed]
    if not open_items:
        return None
    last = None
    if user.is_authenticated:
        last = (LessonProgress.objects.filter(learner=user, lesson__in=[i.lesson for i in open_items])
                .order_by("-updated_at", "-id").values_list("lesson_id", flat=True).first())
    ids = [item.lesson.pk for item in open_items]
    start = ids.index(last) if last in ids else 0
    for item in open_items[start:] + open_items[:start]:
        if item.lesson.pk not in completed:
            return item.lesson
    return None


def required_lessons(course: Course) -> QuerySet[Lesson]:
    return Lesson.objects.filter(section__course=course, required=True)


def course_done(user, course: Course) -> bool | None:
    """Whether every required lesson (quizzes: passed) is complete; None when the course has no curriculum."""
    required = set(required_lessons(course).values_list("pk", flat=True))
    if not required:
        return None
    return required <= completed_lesson_ids(user, course)


def attempts(user, lesson: Lesson) -> QuerySet[QuizAttempt]:
    return QuizAttempt.objects.filter(learner=user, lesson=lesson) if user.is_authenticated else QuizAttempt.objects.none()


def progress_of(user, lesson: Lesson) -> LessonProgress | None:
    if not user.is_authenticated:
        return None
    return LessonProgress.objects.filter(learner=user, lesson=lesson).first()


def certificate_for(user, course: Course) -> Certificate | None:
    if not user.is_authenticated:
        return None
    return Certificate.objects.filter(learner=user, course=course).first()


def certificate_public(uuid) -> Certificate:
    return Certificate.objects.select_related("course__storefront").get(uuid=uuid)


@dataclass
class CardProgress:
    percent: int
    next_lesson: Lesson | None
    certificate: Certificate | None


def learning_progress(user, enrollments) -> dict[int, CardProgress]:
    """For "My learning": per course id on the page, progress over required lessons, the lesson to continue
    with (drip-locked lessons skipped) and the certificate. One query for the page, three when it shows a
    course with a curriculum."""
    enrollments = list(enrollments)
    by_course = {e.course_id: e for e in enrollments}
    if not by_course:
        return {}
    lessons = list(Lesson.objects.filter(section__course_id__in=by_course).select_related("section")
                   .order_by("section__position", "section_id", "position", "id"))
    if not lessons:  # no curriculum on this page: nothing to show (and no certificate without one)
        return {}
    progress = {row.lesson_id: row for row in LessonProgress.objects.filter(learner=user, lesson__in=lessons)}
    certificates = {c.course_id: c for c in Certificate.objects.filter(learner=user, course_id__in=by_course)}
    now = timezone.now()
    result = {}
    for course_id, enrollment in by_course.items():
        mine = [lesson for lesson in lessons if lesson.section.course_id == course_id]
        if not mine:
            continue
        required = [lesson for lesson in mine if lesson.required]
        done = [lesson for lesson in required if getattr(progress.get(lesson.pk), "completed_at", None)]
        open_lessons = [lesson for lesson in mine
                        if lesson.is_preview or (opens_at(lesson, enrollment) or now) <= now]
        touched = [lesson for lesson in open_lessons if lesson.pk in progress]
        last = max(touched, key=lambda lesson: progress[lesson.pk].updated_at) if touched else None
        start = open_lessons.index(last) if last else 0
        next_lesson = next((lesson for lesson in open_lessons[start:] + open_lessons[:start]
                            if not getattr(progress.get(lesson.pk), "completed_at", None)), None)
        result[course_id] = CardProgress(round(100 * len(done) / len(required)) if required else 0,
                                         next_lesson, certificates.get(course_id))
    return result


def progress_timelines(user_ids=None) -> dict[int, dict[str, list[float]]]:
    """Per learner, the sorted times (unix seconds) they completed lessons (``"lessons"``) and courses
    (``"courses"``): the progress features of the recommender's engagement model, read at any moment by
    bisecting. ``user_ids`` limits the learners read (``None``: all)."""
    out: dict[int, dict[str, list[float]]] = {}
    lessons = LessonProgress.objects.filter(completed_at__isnull=False)
    courses = Enrollment.objects.filter(completed_at__isnull=False)
    if user_ids is not None:
        wanted = list(user_ids)
        lessons, courses = lessons.filter(learner_id__in=wanted), courses.filter(learner_id__in=wanted)
    for kind, rows in (("lessons", lessons), ("courses", courses)):
        for learner_id, when in rows.values_list("learner_id", "completed_at").iterator(chunk_size=5000):
            out.setdefault(learner_id, {"lessons": [], "courses": []})[kind].append(when.timestamp())
    for timeline in out.values():
        timeline["lessons"].sort()
        timeline["courses"].sort()
    return out
