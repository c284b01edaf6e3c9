import pytest
from django.utils import timezone

from courseplatform.learning.models import Lesson, Section
from tests.factories import CourseFactory, EnrollmentFactory


@pytest.fixture
def free_course(storefront):
    return CourseFactory(storefront=storefront, price=0, published=True)


@pytest.fixture
def lessons(free_course):
    section = Section.objects.create(course=free_course, title="Part 1")
    return [Lesson.objects.create(section=section, title=f"Lesson {i}", kind="text", body="Read me.", position=i)
            for i in range(6)]


@pytest.fixture
def enrolled(learner, free_course):
    EnrollmentFactory(learner=learner, course=free_course, created_at=timezone.now())
    return learner
