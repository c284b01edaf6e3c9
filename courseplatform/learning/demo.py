"""Demo curriculum over a seeded catalogue (development only, called by ``seed_demo``): every course gets a short
curriculum (two sections: text lessons, the first a free preview, and a two-question quiz; no video: none can
be made offline without a video tool), and each seeded enrolment progresses through it: completed enrolments
finished every lesson, passed the quiz and hold a certificate; the others stopped part-way, some after a
failed quiz attempt. Progress is logged like the live site does (lesson and quiz "view" events).

Idempotent: courses that already have sections are left alone. Deterministic for a seed."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import transaction

from courseplatform.catalog.models import Course, Enrollment
from courseplatform.events import services as event_services

from .models import Certificate, Choice, Lesson, LessonProgress, Question, QuizAttempt, Section

LESSONS = (("Getting started", ("Welcome and what you will build", "Setting up")),
           ("Practice", ("Worked example",)))
BODY = "<p>{title}: read the notes, then try it yourself.</p><ul><li>Key idea</li><li>Common mistake</li></ul>"


@dataclass
class LearningSummary:
    courses: int
    progress_rows: int
    certificates: int


def _curriculum(course: Course) -> list[Lesson]:
    lessons = []
    for s_pos, (section_title, titles) in enumerate(LESSONS, start=1):
        section = Section.objects.create(course=course, title=section_title, position=s_pos)
        for l_pos, title in enumerate(titles, start=1):
            lessons.append(Lesson.objects.create(section=section, title=title, position=l_pos,
                                                 body=BODY.format(title=title), is_preview=(s_pos, l_pos) == (1, 1)))
    quiz = Lesson.objects.create(section=section, title="Check your understanding", kind=Lesson.Kind.QUIZ,
                                 position=len(LESSONS[-1][1]) + 1, pass_mark=50, max_attempts=3)
    for q_pos, (text, choices) in enumerate((("Which of these is the key idea?", ("*The key idea", "A detour")),
                                             ("Which is a common mistake?", ("Reading only", "*Skipping practice"))),
                                            start=1):
        question = Question.objects.create(lesson=quiz, text=text, position=q_pos,
                                           explanation="The notes of the first section explain why.")
        for choice in choices:
            Choice.objects.create(question=question, text=choice.lstrip("*"), correct=choice.startswith("*"))
    return [*lessons, quiz]


@transaction.atomic
def seed_learning(*, seed: int = 7) -> LearningSummary:
    rng = np.random.default_rng(seed + 14)
    courses = list(Course.objects.filter(sections__isnull=True).order_by("pk"))
    progress, attempts, certificates, events = [], [], [], []
    for course in courses:
        lessons = _curriculum(course)
        quiz = lessons[-1]
        right = {str(q.pk): [c.pk for c in q.choices.all() if c.correct] for q in quiz.questions.all()}
        enrollments = Enrollment.objects.filter(course=course).select_related("learner").order_by("pk")
        for enrollment in enrollments:
            start = enrollment.created_at
            done_until = enrollment.completed_at or start + timedelta(days=int(rng.integers(1, 30)))
            n_done = len(lessons) if enrollment.completed_at else int(rng.integers(0, len(lessons)))
            for i, lesson in enumerate(lessons[:n_done]):
                when = start + (done_until - start) * (i + 1) / (len(lessons) + 1)
                progress.append(LessonProgress(learner=enrollment.learner, lesson=lesson, completed_at=when))
                events.append({"event_id": uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | lesson.pk),
                               "user": enrollment.learner, "course": course, "type": "view", "ts": when,
                               "surface": "quiz" if lesson is quiz else "lesson",
                               "value": 100.0 if lesson is quiz else float(lesson.pk)})
            if n_done == len(lessons):
                attempts.append(QuizAttempt(learner=enrollment.learner, lesson=quiz, answers=right, score=100,
                                            passed=True))
                name = enrollment.learner.get_full_name().strip() or enrollment.learner.get_username()
                certificates.append(Certificate(learner=enrollment.learner, course=course, learner_name=name[:150],
                                                course_title=course.title, issued_at=done_until))
            elif n_done == len(lessons) - 1 and rng.random() < 0.5:
                attempts.append(QuizAttempt(learner=enrollment.learner, lesson=quiz, answers={}, score=0,
                                            passed=False))
    LessonProgress.objects.bulk_create(progress, batch_size=2000, ignore_conflicts=True)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    Certificate.objects.bulk_create(certificates, batch_size=2000, ignore_conflicts=True)
    event_services.history_import(events)
    return LearningSummary(len(courses), len(progress), len(certificates))
