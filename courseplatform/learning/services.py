"""Writes for the curriculum: the creator's editing, learners' progress, quiz attempts and certificates.

Progress is the server's: a lesson completes when its learner marks it, when the player's reports add up to
90 % of the video (each report credited at most the wall time since the previous one), or when its quiz is
passed. Completing the last required lesson completes the course (``catalog.services.course_complete``: the
completion event and ``course_completed``) and issues the certificate.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courseplatform.catalog import services as catalog_services
from courseplatform.catalog.models import Course
from courseplatform.catalog.permissions import ensure_can_manage
from courseplatform.events.models import EventType
from courseplatform.events.services import record_server_event
from courseplatform.hooks.signals import certificate_issued, lesson_completed, quiz_passed, send_on_commit
from courseplatform.pages.sanitize import sanitize_html
from courseplatform.search import services as search_services

from . import selectors
from .models import Certificate, Choice, Lesson, LessonProgress, Question, QuizAttempt, Section

#: a video counts as watched at this share of its length (issue 14)
WATCHED_SHARE = 0.9
#: the most one player report may add, and the slack on the wall time since the previous one (network jitter)
BEACON_MAX_S = 120.0
BEACON_SLACK_S = 2.0

LESSON_FIELDS = ("title", "kind", "body", "video", "captions", "video_url", "duration_s", "attachment",
                 "is_preview", "required", "drip_days", "drip_date", "pass_mark", "max_attempts")


# --- the creator's editing ---------------------------------------------------------------------------------------

def _reindex(course_id: int) -> None:
    """Section and lesson titles are searchable: the course is indexed again once the edit commits."""
    transaction.on_commit(lambda: search_services.index_courses([course_id]))


def section_create(*, course: Course, actor, title: str) -> Section:
    ensure_can_manage(actor, course.storefront)
    last = course.sections.order_by("-position").values_list("position", flat=True).first()
    section = Section(course=course, title=title, position=(last or 0) + 1)
    section.full_clean()
    section.save()
    _reindex(course.pk)
    return section


def section_update(*, section: Section, actor, title: str) -> Section:
    ensure_can_manage(actor, section.course.storefront)
    section.title = title
    section.full_clean()
    section.save(update_fields=["title"])
    _reindex(section.course_id)
    return section


def section_delete(*, section: Section, actor) -> None:
    ensure_can_manage(actor, section.course.storefront)
    _reindex(section.course_id)
    section.delete()


@transaction.atomic
def lesson_save(*, section: Section, actor, data: Mapping[str, Any], lesson: Lesson | None = None) -> Lesson:
    """Create (``lesson`` None) or update a lesson; rich text is sanitised here, whatever the caller did."""
    ensure_can_manage(actor, section.course.storefront)
    if lesson is None:
        last = section.lessons.order_by("-position").values_list("position", flat=True).first()
        lesson = Lesson(section=section, position=(last or 0) + 1)
    for name in LESSON_FIELDS:
        if name in data:
            setattr(lesson, name, data[name])
    lesson.body = sanitize_html(lesson.body)
    lesson.full_clean()
    lesson.save()
    _reindex(section.course_id)
    return lesson


def lesson_delete(*, lesson: Lesson, actor) -> None:
    ensure_can_manage(actor, lesson.section.course.storefront)
    for name in ("video", "captions", "attachment"):
        field = getattr(lesson, name)
        if field:
            field.delete(save=False)
    _reindex(lesson.section.course_id)
    lesson.delete()


@transaction.atomic
def reorder(*, course: Course, actor, sections: Sequence[int] | None = None,
            lessons: Mapping[int, Sequence[int]] | None = None) -> None:
    """Set the order of the course's sections (ids) and/or of lessons per section ({section id: [lesson ids]};
    a lesson listed under another section of the course moves there). Ids must all belong to the course."""
    ensure_can_manage(actor, course.storefront)
    own_sections = set(course.sections.values_list("pk", flat=True))
    own_lessons = set(Lesson.objects.filter(section__course=course).values_list("pk", flat=True))
    if sections is not None:
        if sorted(sections) != sorted(own_sections):
            raise ValidationError(_("The new order must list every section of the course once."))
        for position, pk in enumerate(sections, start=1):
            Section.objects.filter(pk=pk).update(position=position)
    for section_id, ids in (lessons or {}).items():
        if section_id not in own_sections or not set(ids) <= own_lessons or len(set(ids)) != len(ids):
            raise ValidationError(_("The new order names a lesson or section of another course."))
        for position, pk in enumerate(ids, start=1):
            Lesson.objects.filter(pk=pk).update(position=position, section_id=section_id)


def move(*, obj: Section | Lesson, actor, direction: str) -> None:
    """One step up or down among its siblings (the keyboard alternative to drag and drop)."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Move up or down."))
    if isinstance(obj, Section):
        course, siblings = obj.course, list(obj.course.sections.values_list("pk", flat=True))
    else:
        course, siblings = obj.section.course, list(obj.section.lessons.values_list("pk", flat=True))
    i = siblings.index(obj.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(siblings):
        siblings[i], siblings[j] = siblings[j], siblings[i]
    if isinstance(obj, Section):
        reorder(course=course, actor=actor, sections=siblings)
    else:
        reorder(course=course, actor=actor, lessons={obj.section_id: siblings})


@transaction.atomic
def question_add(*, lesson: Lesson, actor, text: str, choices: Sequence[tuple[str, bool]], multiple: bool,
                 explanation: str = "") -> Question:
    ensure_can_manage(actor, lesson.section.course.storefront)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(_("Only a quiz has questions."))
    choices = [(t.strip(), correct) for t, correct in choices if t.strip()]
    if len(choices) < 2:
        raise ValidationError(_("Give at least two answers."))
    n_correct = sum(correct for _t, correct in choices)
    if n_correct == 0:
        raise ValidationError(_("Mark at least one answer as correct."))
    if not multiple and n_correct != 1:
        raise ValidationError(_("A single-answer question has exactly one correct answer."))
    last = lesson.questions.order_by("-position").values_list("position", flat=True).first()
    question = Question(lesson=lesson, text=text, multiple=multiple, explanation=explanation,
                        position=(last or 0) + 1)
    question.full_clean()
    question.save()
    for choice_text, correct in choices:
        choice = Choice(question=question, text=choice_text, correct=correct)
        choice.full_clean()
        choice.save()
    return question


def question_delete(*, question: Question, actor) -> None:
    ensure_can_manage(actor, question.lesson.section.course.storefront)
    question.delete()


def course_publish(*, course: Course, actor) -> Course:
    """Publish the course once its curriculum has at least one lesson."""
    ensure_can_manage(actor, course.storefront)
    if not Lesson.objects.filter(section__course=course).exists():
        raise ValidationError(_("Add at least one lesson before publishing."))
    empty_quiz = Lesson.objects.filter(section__course=course, kind=Lesson.Kind.QUIZ, questions__isnull=True)
    if empty_quiz.exists():
        raise ValidationError(_("Every quiz needs at least one question: %(title)s.")
                              % {"title": empty_quiz.first().title})
    return catalog_services.course_update(course=course, actor=actor, data={"published": True})


# --- learners' progress ------------------------------------------------------------------------------------------

def _ensure_learner(learner, lesson: Lesson) -> None:
    """Only an enrolled learner with access records progress (managers preview without progress)."""
    course = lesson.section.course
    access = selectors.lesson_access(learner, lesson, course)
    if access.reason != "enrolled":
        raise PermissionDenied(_("Enrol in the course to record your progress.") if access.reason != "locked"
                               else _("This lesson is not open yet."))


def _progress(learner, lesson: Lesson) -> LessonProgress:
    try:
        with transaction.atomic():
            progress, _created = LessonProgress.objects.get_or_create(learner=learner, lesson=lesson)
    except IntegrityError:
        progress = LessonProgress.objects.get(learner=learner, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(pk=progress.pk)


def _complete(learner, lesson: Lesson, progress: LessonProgress) -> bool:
    """Mark ``progress`` complete; True the first time. Then the course, if that was the last required one."""
    if progress.completed_at is not None:
        return False
    progress.completed_at = timezone.now()
    progress.save(update_fields=["completed_at", "updated_at"])
    course = lesson.section.course
    # the event log has no lesson type: a completed lesson is a "view" of its course from the lesson surface
    record_server_event(user=learner, course=course, event_type=EventType.VIEW, surface="lesson", value=lesson.pk)
    send_on_commit(lesson_completed, Lesson, learner=learner, lesson=lesson)
    if selectors.course_done(learner, course):
        catalog_services.course_complete(learner=learner, course=course)
        certificate_issue(learner=learner, course=course)
    return True


@transaction.atomic
def lesson_complete(*, learner, lesson: Lesson) -> LessonProgress:
    """The learner marks a lesson done (a quiz is done only when passed)."""
    _ensure_learner(learner, lesson)
    if lesson.kind == Lesson.Kind.QUIZ:
        raise ValidationError(_("Pass the quiz to complete this lesson."))
    progress = _progress(learner, lesson)
    _complete(learner, lesson, progress)
    return progress


@transaction.atomic
def lesson_touch(*, learner, lesson: Lesson) -> LessonProgress:
    """Remember that the learner opened the lesson (a POST from the lesson page: "continue where you left off")."""
    _ensure_learner(learner, lesson)
    progress = _progress(learner, lesson)
    fields = ["updated_at"]
    if lesson.kind == Lesson.Kind.VIDEO and progress.beacon_at is None:
        progress.beacon_at = timezone.now()  # the watch clock starts when the lesson is first opened
        fields.append("beacon_at")
    progress.save(update_fields=fields)
    return progress


@transaction.atomic
def video_report(*, learner, lesson: Lesson, played_s: float, position_s: float,
                 duration_s: float | None) -> LessonProgress:
    """A player report: ``played_s`` seconds played since the previous report. The total credited never exceeds
    the wall time since the lesson was first opened or reported (+ slack), and one report adds at most
    ``BEACON_MAX_S``, so a script cannot claim an hour in one request; a late or reordered report loses
    nothing. The first report (without an opening) only starts the clock. The video completes at 90 % of its
    length (the creator's figure if given, else the first length the player reported)."""
    _ensure_learner(learner, lesson)
    if lesson.kind != Lesson.Kind.VIDEO:
        raise ValidationError(_("This lesson has no video."))
    for value in (played_s, position_s, duration_s or 0):
        if not (0 <= value < 24 * 3600):
            raise ValidationError(_("Out-of-range player report."))
    progress = _progress(learner, lesson)
    now = timezone.now()
    if progress.beacon_at is None:
        progress.beacon_at = now
    else:
        room = (now - progress.beacon_at).total_seconds() + BEACON_SLACK_S - progress.watched_s
        progress.watched_s += max(0.0, min(played_s, room, BEACON_MAX_S))
    progress.position_s = position_s
    if progress.duration_s is None and duration_s:
        progress.duration_s = duration_s
    progress.save(update_fields=["watched_s", "beacon_at", "position_s", "duration_s", "updated_at"])
    length = lesson.duration_s or progress.duration_s
    if length and progress.watched_s >= WATCHED_SHARE * length:
        _complete(learner, lesson, progress)
    return progress


@transaction.atomic
def quiz_submit(*, learner, lesson: Lesson, answers: Mapping[int, Sequence[int]]) -> QuizAttempt:
    """Score an attempt on the server: a question counts when exactly its correct answers are chosen."""
    _ensure_learner(learner, lesson)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(_("This lesson is not a quiz."))
    # lock the learner's progress row first: concurrent submissions cannot exceed the attempts limit
    progress = _progress(learner, lesson)
    used = QuizAttempt.objects.filter(learner=learner, lesson=lesson).count()
    if lesson.max_attempts is not None and used >= lesson.max_attempts:
        raise ValidationError(_("You have used all %(n)d attempts.") % {"n": lesson.max_attempts})
    questions = list(lesson.questions.prefetch_related("choices"))
    if not questions:
        raise ValidationError(_("This quiz has no questions yet."))
    right = 0
    recorded = {}
    for question in questions:
        valid = {c.pk for c in question.choices.all()}
        chosen = set(answers.get(question.pk, ()))
        if not chosen <= valid:
            raise ValidationError(_("An answer does not belong to this quiz."))
        if not question.multiple and len(chosen) > 1:
            raise ValidationError(_("Choose one answer for “%(q)s”.") % {"q": question.text})
        recorded[str(question.pk)] = sorted(chosen)
        right += chosen == {c.pk for c in question.choices.all() if c.correct}
    score = round(100 * right / len(questions))
    passed = score >= lesson.pass_mark
    attempt = QuizAttempt.objects.create(learner=learner, lesson=lesson, answers=recorded, score=score,
                                         passed=passed)
    if passed and _complete(learner, lesson, progress):
        record_server_event(user=learner, course=lesson.section.course, event_type=EventType.VIEW, surface="quiz",
                            value=score)
        send_on_commit(quiz_passed, QuizAttempt, learner=learner, lesson=lesson, attempt=attempt)
    else:
        progress.save(update_fields=["updated_at"])
    return attempt


def course_completion_claim(*, learner, course: Course):
    """The course page's "Mark as complete" for a course without a curriculum; a course with one completes
    by itself when its required lessons are done."""
    done = selectors.course_done(learner, course)
    if done is False:
        raise ValidationError(_("Finish every required lesson and pass the required quizzes first."))
    enrollment = catalog_services.course_complete(learner=learner, course=course)
    if done:
        certificate_issue(learner=learner, course=course)
    return enrollment


# --- certificates ------------------------------------------------------------------------------------------------

def certificate_issue(*, learner, course: Course) -> Certificate:
    """The learner's certificate of ``course`` (issued once; what it says is kept as issued)."""
    existing = Certificate.objects.filter(learner=learner, course=course).first()
    if existing is not None:
        return existing
    name = (learner.get_full_name() or "").strip() or str(learner)  # the display name, else the username
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(learner=learner, course=course, learner_name=name[:150],
                                                     course_title=course.title, issued_at=timezone.now())
        send_on_commit(certificate_issued, Certificate, learner=learner, course=course, certificate=certificate)
        return certificate
    except IntegrityError:
        return Certificate.objects.get(learner=learner, course=course)


