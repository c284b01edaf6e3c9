"""The creator's curriculum editor: sections and lessons, uploads checked (type, size, WebVTT), reordering by
drag and drop's POST and by the Up/Down buttons, quiz questions, publishing; other creators get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courseplatform.learning.models import Lesson, Question, Section
from tests.factories import CourseFactory, CreatorFactory
from tests.learning.conftest import MP4, VTT

pytestmark = pytest.mark.django_db


@pytest.fixture
def section(course):
    return Section.objects.create(course=course, title="Intro", position=1)


def _new_lesson(client, section, kind, data, **extra):
    return client.post(reverse("learning:studio_lesson_new", args=[section.pk]) + f"?kind={kind}", data, **extra)


def test_creator_adds_a_section_and_a_text_lesson_whose_html_is_sanitised(client, creator, course):
    client.force_login(creator)
    response = client.post(reverse("learning:studio_curriculum", args=[course.pk]), {"title": "Week 1"})
    assert response.status_code == 302
    section = Section.objects.get(course=course)
    response = _new_lesson(client, section, "text", {
        "title": "Read me", "required": "on",
        "body": '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">l</a></p>'})
    assert response.status_code == 302
    lesson = Lesson.objects.get(section=section)
    assert lesson.kind == "text"
    assert "script" not in lesson.body and "onclick" not in lesson.body and "javascript" not in lesson.body
    assert lesson.body.startswith("<p>Hi")


def test_video_upload_with_captions_is_stored_privately(client, creator, section, settings):
    client.force_login(creator)
    response = _new_lesson(client, section, "video", {
        "title": "Clip", "required": "on", "video": SimpleUploadedFile("clip.mp4", MP4, "video/mp4"),
        "captions": SimpleUploadedFile("clip.vtt", VTT.encode(), "text/vtt")})
    assert response.status_code == 302, response.content.decode()[:3000]
    lesson = Lesson.objects.get(section=section)
    assert lesson.video.path.startswith(str(settings.LEARNING_MEDIA_ROOT))
    assert not lesson.video.path.startswith(str(settings.MEDIA_ROOT))
    assert lesson.captions.name.endswith(".vtt")
    # the edit page names the file without linking it
    page = client.get(reverse("learning:studio_lesson", args=[lesson.pk]))
    assert page.status_code == 200 and "clip" in page.content.decode()


@pytest.mark.parametrize(("field", "upload", "message"), [
    ("video", SimpleUploadedFile("clip.exe", b"MZ\x90\x00", "application/octet-stream"), "Upload an MP4, WebM or Ogg"),
    ("video", SimpleUploadedFile("fake.mp4", b"<html>not a video</html>", "video/mp4"), "is not a MP4 video"),
    ("captions", SimpleUploadedFile("c.srt", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "text/plain"),
     "WebVTT file"),
    ("captions", SimpleUploadedFile("c.vtt", b"1\n00:00:01.000 --> 00:00:02.000\nhi\n", "text/vtt"),
     "start with the line"),
    ("captions", SimpleUploadedFile("c.vtt", b"WEBVTT\n\n00:00:01,000 --> 00:00:02,000\nhi\n", "text/vtt"),
     "Line 3 is not a cue timing"),
    ("captions", SimpleUploadedFile("c.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:02.000\nhi\n", "text/vtt"),
     "ends before it starts"),
    ("captions", SimpleUploadedFile("c.vtt", b"WEBVTT\n\xff\xfe\n", "text/vtt"), "UTF-8"),
])
def test_wrong_types_and_malformed_captions_are_a_400_that_says_why(client, creator, section, field, upload,
                                                                     message):
    client.force_login(creator)
    data = {"title": "Clip", "video": SimpleUploadedFile("ok.mp4", MP4, "video/mp4"), field: upload}
    response = _new_lesson(client, section, "video", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Lesson.objects.exists()


def test_oversize_video_and_attachment_are_refused_with_the_limit(client, creator, section, settings):
    settings.LEARNING_VIDEO_MAX_BYTES = 1000
    settings.LEARNING_ATTACHMENT_MAX_BYTES = 10
    client.force_login(creator)
    response = _new_lesson(client, section, "video", {"title": "Big", "video": SimpleUploadedFile("b.mp4", MP4)})
    assert response.status_code == 400 and "the largest allowed is 1000" in response.content.decode()
    response = _new_lesson(client, section, "attachment", {
        "title": "Big", "attachment": SimpleUploadedFile("b.pdf", b"%PDF-1.4 " + b"x" * 100)})
    assert response.status_code == 400 and "the largest allowed is 10" in response.content.decode()
    response = _new_lesson(client, section, "attachment", {
        "title": "Exe", "attachment": SimpleUploadedFile("b.exe", b"MZ")})
    assert response.status_code == 400 and "cannot be attached" in response.content.decode()


def test_upload_script_gets_json_errors_and_redirect(client, creator, section):
    client.force_login(creator)
    bad = _new_lesson(client, section, "video", {"title": "x", "video": SimpleUploadedFile("a.txt", b"x")},
                      HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "video" in bad.json()["errors"]
    good = _new_lesson(client, section, "video", {"title": "x", "video": SimpleUploadedFile("a.mp4", MP4)},
                       HTTP_ACCEPT="application/json")
    assert good.status_code == 200 and good.json()["redirect"].startswith("/studio/lessons/")


def test_unknown_kind_is_a_400(client, creator, section):
    client.force_login(creator)
    response = client.get(reverse("learning:studio_lesson_new", args=[section.pk]) + "?kind=flash")
    assert response.status_code == 400


def test_reorder_by_drag_and_drop_post_and_by_buttons(client, creator, course, lessons):
    client.force_login(creator)
    one, two = course.sections.order_by("position")
    url = reverse("learning:studio_reorder", args=[course.pk])
    assert client.post(url, {"sections": f"{two.pk},{one.pk}"}).json()["message"]
    assert list(course.sections.values_list("pk", flat=True)) == [two.pk, one.pk]
    video, intro = lessons["video"], lessons["intro"]
    assert client.post(url, {"section": one.pk, "lessons": f"{video.pk},{intro.pk}"}).status_code == 200
    assert list(one.lessons.values_list("pk", flat=True)) == [video.pk, intro.pk]
    # keyboard alternative: Up/Down forms
    client.post(reverse("learning:studio_lesson_move", args=[intro.pk]), {"direction": "up"})
    assert list(one.lessons.values_list("pk", flat=True)) == [intro.pk, video.pk]
    client.post(reverse("learning:studio_section_move", args=[one.pk]), {"direction": "up"})
    assert list(course.sections.values_list("pk", flat=True)) == [one.pk, two.pk]
    # another course's lesson or malformed ids: 400, nothing changes
    other = Lesson.objects.create(section=Section.objects.create(course=CourseFactory(), title="x"), title="o")
    assert client.post(url, {"section": one.pk, "lessons": f"{other.pk}"}).status_code == 400
    assert client.post(url, {"sections": "a,b"}).status_code == 400
    assert client.post(url, {"sections": f"{one.pk}"}).status_code == 400


def test_quiz_questions_need_a_correct_answer(client, creator, section):
    client.force_login(creator)
    _new_lesson(client, section, "quiz", {"title": "Q", "pass_mark": 60, "required": "on"})
    quiz = Lesson.objects.get(kind="quiz")
    url = reverse("learning:studio_question_add", args=[quiz.pk])
    response = client.post(url, {"text": "Sky?", "choices": "blue\ngreen"})
    assert response.status_code == 400 and "Mark at least one answer" in response.content.decode()
    response = client.post(url, {"text": "Sky?", "choices": "*blue\n*green"})
    assert response.status_code == 400 and "exactly one correct" in response.content.decode()
    assert client.post(url, {"text": "Sky?", "choices": "*blue\ngreen", "explanation": "Rayleigh"}).status_code == 302
    question = Question.objects.get()
    assert [(c.text, c.correct) for c in question.choices.all()] == [("blue", True), ("green", False)]


def test_publish_needs_a_lesson_and_questions_in_every_quiz(client, creator, storefront):
    draft = CourseFactory(storefront=storefront, published=False, price=0)
    client.force_login(creator)
    url = reverse("learning:studio_publish", args=[draft.pk])
    client.post(url)
    draft.refresh_from_db()
    assert not draft.published
    section = Section.objects.create(course=draft, title="S")
    quiz = Lesson.objects.create(section=section, title="Q", kind="quiz")
    client.post(url)
    draft.refresh_from_db()
    assert not draft.published
    Question.objects.create(lesson=quiz, text="?").choices.create(text="a", correct=True)
    client.post(url)
    draft.refresh_from_db()
    assert draft.published


def test_other_creators_get_404_everywhere_in_the_editor(client, course, lessons):
    client.force_login(CreatorFactory())
    section = course.sections.first()
    for url in (reverse("learning:studio_curriculum", args=[course.pk]),
                reverse("learning:studio_section", args=[section.pk]),
                reverse("learning:studio_lesson", args=[lessons["quiz"].pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("learning:studio_lesson_delete", args=[lessons["quiz"].pk])).status_code == 404
    assert Lesson.objects.filter(pk=lessons["quiz"].pk).exists()


def test_course_form_links_to_the_curriculum_editor(client, creator, course):
    client.force_login(creator)
    page = client.get(reverse("catalog:studio_course", args=[course.pk])).content.decode()
    assert reverse("learning:studio_curriculum", args=[course.pk]) in page
