"""Progress belongs to the server: marking, player reports bounded by wall time (≥ 90 % watched completes a
video), course completion from required lessons (and quizzes passed), its signals and events, "continue where
you left off" on the course page and My learning."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from courseplatform.catalog.models import Enrollment
from courseplatform.events.models import Interaction
from courseplatform.hooks import signals
from courseplatform.learning.models import Certificate, LessonProgress
from tests.learning.conftest import answers_for

pytestmark = pytest.mark.django_db


def _report(client, lesson, **data):
    return client.post(reverse("learning:lesson_report", args=[lesson.pk]), data, content_type="application/json")


def _rewind_clock(learner, lesson, seconds: float) -> None:
    """As if ``seconds`` more had passed since the watch clock started."""
    LessonProgress.objects.filter(learner=learner, lesson=lesson).update(
        beacon_at=F("beacon_at") - datetime.timedelta(seconds=seconds))


def test_player_reports_are_credited_at_most_the_wall_time_between_them(client, enrolled, lessons):
    client.force_login(enrolled)
    video = lessons["video"]  # 100 s long
    assert _report(client, video, played=0, position=0).json() == {"watched": 0.0, "completed": False}
    # a script claiming 95 s at once, 1 s after the first report, gets about 1 s (+ slack)
    body = _report(client, video, played=95, position=95).json()
    assert body["watched"] <= 4 and not body["completed"]
    _rewind_clock(enrolled, video, 60)
    assert _report(client, video, played=60, position=60).json()["watched"] < 90
    _rewind_clock(enrolled, video, 40)
    body = _report(client, video, played=40, position=100).json()
    assert body["completed"] and body["watched"] >= 90


def test_a_late_start_report_loses_nothing_once_the_page_was_opened(client, enrolled, lessons):
    """The clock starts when the lesson page is opened, so a delayed or reordered report is still credited."""
    client.force_login(enrolled)
    video = lessons["video"]
    client.post(reverse("learning:lesson_report", args=[video.pk]), "", content_type="application/json")
    _rewind_clock(enrolled, video, 95)
    _report(client, video, played=0, position=0)  # "play", arriving late
    body = _report(client, video, played=95, position=95).json()
    assert body["completed"] and body["watched"] == 95.0
    # and nothing more than the clock allows afterwards
    assert _report(client, video, played=50, position=100).json()["watched"] <= 97.1


def test_a_client_completed_claim_means_nothing(client, enrolled, lessons):
    client.force_login(enrolled)
    _report(client, lessons["video"], played=0, position=0)
    response = _report(client, lessons["video"], played=1, position=99, duration=100, completed=True)
    assert response.json()["completed"] is False


@pytest.mark.parametrize("body", ['{"played": "x", "position": 0}', '{"played": -1, "position": 0}', "[1]",
                                  "not json", '{"played": 1e9, "position": 0}'])
def test_malformed_player_reports_are_400(client, enrolled, lessons, body):
    client.force_login(enrolled)
    response = client.post(reverse("learning:lesson_report", args=[lessons["video"].pk]), body,
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]


def test_creator_and_non_enrolled_learners_record_no_progress(client, creator, learner, lessons):
    for user in (creator, learner):
        client.force_login(user)
        assert _report(client, lessons["video"], played=0, position=0).status_code == 403
        assert client.post(reverse("learning:lesson_complete", args=[lessons["intro"].pk])).status_code == 403
    assert not LessonProgress.objects.exists()


def test_completing_every_required_lesson_completes_the_course_once(client, enrolled, course, lessons,
                                                                     django_capture_on_commit_callbacks):
    received = {"lesson": [], "quiz": [], "course": []}

    def on(kind):
        return lambda sender, **kw: received[kind].append(kw)

    receivers = {"lesson": on("lesson"), "quiz": on("quiz"), "course": on("course")}
    signals.lesson_completed.connect(receivers["lesson"])
    signals.quiz_passed.connect(receivers["quiz"])
    signals.course_completed.connect(receivers["course"])
    try:
        client.force_login(enrolled)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("learning:lesson_complete", args=[lessons["intro"].pk]))
            client.post(reverse("learning:lesson_complete", args=[lessons["video"].pk]))
            assert Enrollment.objects.get(learner=enrolled, course=course).completed_at is None
            # the quiz cannot be marked, only passed
            client.post(reverse("learning:lesson_complete", args=[lessons["quiz"].pk]))
            assert not LessonProgress.objects.filter(lesson=lessons["quiz"], completed_at__isnull=False).exists()
            page = client.post(reverse("learning:quiz_submit", args=[lessons["quiz"].pk]),
                               answers_for(lessons["quiz"]))
            assert page.status_code == 200
        # the optional download was never opened: the course is complete anyway
        enrollment = Enrollment.objects.get(learner=enrolled, course=course)
        assert enrollment.completed_at is not None
        assert Certificate.objects.filter(learner=enrolled, course=course).count() == 1
        assert [kw["lesson"].pk for kw in received["lesson"]] == [
            lessons["intro"].pk, lessons["video"].pk, lessons["quiz"].pk]
        assert len(received["quiz"]) == 1 and received["quiz"][0]["attempt"].passed
        assert len(received["course"]) == 1
        events = Interaction.objects.filter(user=enrolled, course=course)
        assert events.filter(type="view", surface="lesson").count() == 3
        assert events.filter(type="view", surface="quiz").count() == 1
        assert events.filter(type="complete").count() == 1
        # marking again changes nothing
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("learning:lesson_complete", args=[lessons["intro"].pk]))
        assert len(received["lesson"]) == 3 and len(received["course"]) == 1
    finally:
        signals.lesson_completed.disconnect(receivers["lesson"])
        signals.quiz_passed.disconnect(receivers["quiz"])
        signals.course_completed.disconnect(receivers["course"])


def test_bare_mark_as_complete_is_refused_while_required_lessons_remain(client, enrolled, course, lessons):
    client.force_login(enrolled)
    page = client.get(course.get_absolute_url()).content.decode()
    assert "Mark as complete" not in page and "Curriculum" in page
    client.post(reverse("catalog:course_complete", args=[course.pk]))
    assert Enrollment.objects.get(learner=enrolled, course=course).completed_at is None


def test_course_without_curriculum_keeps_its_mark_as_complete_button(client, enrolled, course):
    client.force_login(enrolled)
    assert "Mark as complete" in client.get(course.get_absolute_url()).content.decode()
    client.post(reverse("catalog:course_complete", args=[course.pk]))
    assert Enrollment.objects.get(learner=enrolled, course=course).completed_at is not None


def test_continue_where_you_left_off_on_course_page_and_my_learning(client, enrolled, course, lessons):
    client.force_login(enrolled)
    client.post(reverse("learning:lesson_complete", args=[lessons["intro"].pk]))
    # opening the quiz page tells the server (the page's script posts an empty report)
    client.post(reverse("learning:lesson_report", args=[lessons["files"].pk]), "", content_type="application/json")
    course_page = client.get(course.get_absolute_url()).content.decode()
    files_url = reverse("learning:lesson", args=[lessons["files"].pk])
    assert "Continue where you left off" in course_page and files_url in course_page
    assert "1 of 3 required lessons done" in course_page
    learning = client.get(reverse("catalog:my_learning")).content.decode()
    assert files_url in learning and 'value="33"' in learning


def test_viewing_a_lesson_writes_nothing(client, enrolled, lessons):
    client.force_login(enrolled)
    before = (LessonProgress.objects.count(), Interaction.objects.count())
    assert client.get(reverse("learning:lesson", args=[lessons["video"].pk])).status_code == 200
    assert (LessonProgress.objects.count(), Interaction.objects.count()) == before
