"""Demo curriculum: every course gets sections, lessons and a quiz; completed enrolments hold every lesson, a
passed attempt and a certificate; progress is logged; a second run adds nothing."""

import pytest
from django.utils import timezone

from courseplatform.events.models import Interaction
from courseplatform.learning.demo import seed_learning
from courseplatform.learning.models import Certificate, Lesson, LessonProgress, QuizAttempt
from courseplatform.learning.selectors import course_done
from tests.factories import CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db


def test_seed_learning_gives_courses_a_curriculum_and_learners_progress():
    course = CourseFactory(price=0)
    done = EnrollmentFactory(course=course, completed_at=timezone.now())
    EnrollmentFactory.create_batch(5, course=course)
    summary = seed_learning(seed=3)
    assert summary.courses == 1 and summary.certificates == 1
    assert Lesson.objects.filter(section__course=course, kind="quiz").count() == 1
    assert course_done(done.learner, course) is True
    assert QuizAttempt.objects.filter(learner=done.learner, passed=True).exists()
    assert Certificate.objects.get().learner == done.learner
    assert Interaction.objects.filter(surface__in=("lesson", "quiz")).count() == LessonProgress.objects.count()
    assert seed_learning(seed=3).courses == 0
    assert Certificate.objects.count() == 1
