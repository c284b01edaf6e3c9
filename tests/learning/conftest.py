"""A published course with a two-section curriculum: a free preview text lesson, a video with captions, a
download and a quiz; a learner enrolled in it (the course is free here: paid enrolment is tested through
commerce in test_access.py)."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from courseplatform.catalog import services as catalog_services
from courseplatform.learning.models import Choice, Lesson, Question, Section
from tests.factories import CourseFactory

#: an MP4's first bytes (a "ftyp" box) followed by filler: enough for type checks and range requests
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(range(256)) * 40
VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello\n\n00:00:02.000 --> 00:00:04.500\n你好\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.LEARNING_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def course(storefront):
    return CourseFactory(storefront=storefront, price=Decimal("0"), published=True, title="Curriculum course")


@pytest.fixture
def lessons(course) -> dict[str, Lesson]:
    one = Section.objects.create(course=course, title="Basics", position=1)
    two = Section.objects.create(course=course, title="Going further", position=2)
    intro = Lesson.objects.create(section=one, title="Welcome", kind="text", body="<p>Hello <strong>there</strong></p>",
                                  is_preview=True, position=1)
    video = Lesson(section=one, title="Watch this", kind="video", position=2, duration_s=100)
    video.video.save("clip.mp4", ContentFile(MP4), save=False)
    video.captions.save("clip.vtt", ContentFile(VTT.encode()), save=False)
    video.save()
    files = Lesson(section=two, title="Slides", kind="attachment", position=1, required=False)
    files.attachment.save("slides.pdf", ContentFile(b"%PDF-1.4 slides"), save=False)
    files.save()
    quiz = Lesson.objects.create(section=two, title="Check yourself", kind="quiz", position=2, pass_mark=50,
                                 max_attempts=3)
    q1 = Question.objects.create(lesson=quiz, text="Two plus two?", explanation="Count on your fingers.")
    Choice.objects.create(question=q1, text="four-ANSWER", correct=True)
    Choice.objects.create(question=q1, text="five-WRONG", correct=False)
    q2 = Question.objects.create(lesson=quiz, text="Primes?", multiple=True, explanation="Divisible by 1 and itself.")
    Choice.objects.create(question=q2, text="two-ANSWER", correct=True)
    Choice.objects.create(question=q2, text="three-ANSWER", correct=True)
    Choice.objects.create(question=q2, text="nine-WRONG", correct=False)
    return {"intro": intro, "video": video, "files": files, "quiz": quiz}


@pytest.fixture
def enrolled(learner, course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.enroll(learner=learner, course=course)
    return learner


def answers_for(quiz: Lesson, right: bool = True) -> dict[str, list[int]]:
    """POST data answering every question of ``quiz`` (all right, or all wrong)."""
    data = {}
    for question in quiz.questions.all():
        data[f"q-{question.pk}"] = [c.pk for c in question.choices.all() if c.correct == right][
            : (None if question.multiple or not right else 1)]
    return data
