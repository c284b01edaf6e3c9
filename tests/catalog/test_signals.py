"""The core announces what happens with Django signals sent once the transaction commits (issue 13):
plugins react to them instead of the core calling plugins."""

from decimal import Decimal

import pytest
from django.db import transaction

from courseplatform.catalog import services
from courseplatform.hooks.signals import course_completed, course_enrolled, course_published, course_reviewed


@pytest.fixture
def received():
    calls = []

    def make(signal):
        def receiver(sender, signal, **kwargs):
            calls.append((signal, kwargs))
        signal.connect(receiver, weak=False)
        return receiver

    receivers = {s: make(s) for s in (course_enrolled, course_completed, course_reviewed, course_published)}
    yield calls
    for signal, receiver in receivers.items():
        signal.disconnect(receiver)


@pytest.fixture
def free_course(course):
    course.price = Decimal("0")
    course.save(update_fields=["price"])
    return course


def test_enrol_complete_and_review_are_announced_once_on_commit(received, learner, free_course,
                                                                django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrollment, created = services.enroll(learner=learner, course=free_course)
    assert created and received == [(course_enrolled, {"learner": learner, "course": free_course,
                                                       "enrollment": enrollment})]
    with django_capture_on_commit_callbacks(execute=True):
        services.enroll(learner=learner, course=free_course)  # a repeated click enrols nobody new
        services.course_complete(learner=learner, course=free_course)
        services.course_complete(learner=learner, course=free_course)
    assert [s for s, _kw in received] == [course_enrolled, course_completed]
    with django_capture_on_commit_callbacks(execute=True):
        services.review_submit(learner=learner, course=free_course, rating=5)
        services.review_submit(learner=learner, course=free_course, rating=4, text="Good")
    assert [(s, kw["created"]) for s, kw in received[2:]] == [(course_reviewed, True), (course_reviewed, False)]


def test_nothing_is_announced_when_the_transaction_rolls_back(received, learner, free_course,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            services.enroll(learner=learner, course=free_course)
            raise RuntimeError("rolled back")
    assert received == []


def test_publishing_a_course_is_announced_when_it_becomes_visible(received, creator, course,
                                                                  django_capture_on_commit_callbacks):
    course.published = False
    course.save(update_fields=["published"])
    with django_capture_on_commit_callbacks(execute=True):
        services.course_update(course=course, actor=creator, data={"title": "Still a draft"})
        services.course_update(course=course, actor=creator, data={"published": True})
        services.course_update(course=course, actor=creator, data={"title": "Renamed"})
    assert received == [(course_published, {"course": course})]
