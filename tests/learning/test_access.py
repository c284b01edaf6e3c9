"""Who sees a lesson and its media: anonymous visitors, logged-in learners who are not enrolled, enrolled
learners, refunded learners (their enrolment ends), the creator and staff. Media answer 403, never a byte."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courseplatform.commerce import refunds
from courseplatform.commerce import services as commerce
from courseplatform.learning.models import Lesson
from tests.factories import CourseFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

MEDIA = ("learning:lesson_video", "learning:lesson_captions")


def _get(client, user, name, lesson):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(name, args=[lesson.pk]))


def test_preview_lesson_is_open_to_anyone(client, lessons):
    response = client.get(reverse("learning:lesson", args=[lessons["intro"].pk]))
    assert response.status_code == 200
    assert "<strong>there</strong>" in response.content.decode()


def test_anonymous_visitor_is_sent_to_log_in_and_gets_no_media(client, lessons):
    response = client.get(reverse("learning:lesson", args=[lessons["video"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    for name in MEDIA:
        assert client.get(reverse(name, args=[lessons["video"].pk])).status_code == 403
    assert client.get(reverse("learning:lesson_attachment", args=[lessons["files"].pk])).status_code == 403


def test_logged_in_learner_who_is_not_enrolled_is_refused(client, learner, lessons):
    response = _get(client, learner, "learning:lesson", lessons["video"])
    assert response.status_code == 403
    assert "enrolled" in response.content.decode()
    assert b"ftyp" not in response.content
    for name in MEDIA:
        assert client.get(reverse(name, args=[lessons["video"].pk])).status_code == 403


def test_enrolled_learner_sees_lessons_and_media(client, enrolled, lessons):
    page = _get(client, enrolled, "learning:lesson", lessons["video"])
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("learning:lesson_video", args=[lessons["video"].pk]) in html
    assert 'kind="captions"' in html
    video = client.get(reverse("learning:lesson_video", args=[lessons["video"].pk]))
    assert video.status_code == 200 and video["Content-Type"] == "video/mp4"
    assert b"".join(video.streaming_content).startswith(b"\x00\x00\x00\x18ftyp")
    captions = client.get(reverse("learning:lesson_captions", args=[lessons["video"].pk]))
    assert captions["Content-Type"].startswith("text/vtt") and b"WEBVTT" in b"".join(captions.streaming_content)
    download = client.get(reverse("learning:lesson_attachment", args=[lessons["files"].pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["creator", "staff"])
def test_creator_and_staff_see_every_lesson(client, who, creator, lessons):
    user = creator if who == "creator" else StaffFactory()
    assert _get(client, user, "learning:lesson", lessons["quiz"]).status_code == 200
    assert client.get(reverse("learning:lesson_video", args=[lessons["video"].pk])).status_code == 200


def test_draft_course_lessons_are_hidden_from_everyone_but_its_creator_and_staff(client, course, creator, lessons):
    course.published = False
    course.save()
    assert client.get(reverse("learning:lesson", args=[lessons["intro"].pk])).status_code == 404
    assert _get(client, UserFactory(), "learning:lesson", lessons["intro"]).status_code == 404
    assert _get(client, creator, "learning:lesson", lessons["intro"]).status_code == 200


def test_refunded_learner_loses_lessons_and_media(client, storefront, creator, django_capture_on_commit_callbacks,
                                                  settings):
    settings.COMMERCE_PAYMENT_VARIANT = "dummy"
    settings.PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
    from django.core.files.base import ContentFile

    from courseplatform.learning.models import Section
    from tests.learning.conftest import MP4

    paid = CourseFactory(storefront=storefront, price=Decimal("20.00"), published=True)
    section = Section.objects.create(course=paid, title="S")
    lesson = Lesson(section=section, title="Paid video", kind="video", duration_s=10)
    lesson.video.save("v.mp4", ContentFile(MP4), save=False)
    lesson.save()
    buyer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = commerce.checkout_start(learner=buyer, course=paid)
        commerce.payment_succeeded(payment=commerce.payment_for(order, "dummy"), amount=order.amount,
                                   currency=order.currency)
    assert _get(client, buyer, "learning:lesson", lesson).status_code == 200
    assert client.get(reverse("learning:lesson_video", args=[lesson.pk])).status_code == 200
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        refund = refunds.refund_request(order=order, learner=buyer)
        refunds.refund_decide(refund=refund, actor=creator, approve=True)
    assert client.get(reverse("learning:lesson", args=[lesson.pk])).status_code == 403
    assert client.get(reverse("learning:lesson_video", args=[lesson.pk])).status_code == 403


def test_guessing_the_stored_file_name_serves_nothing(client, enrolled, lessons, settings):
    """Lesson files are outside MEDIA_ROOT: the public media URL of their stored name is a 404."""
    client.force_login(enrolled)
    name = lessons["video"].video.name
    assert not name.startswith(str(settings.MEDIA_ROOT))
    for url in (f"/media/{name}", f"/media/../private/{name}", f"/{name}"):
        response = client.get(url)
        assert response.status_code == 404
    # another lesson's number does not open a lesson the learner may not see either
    other = CourseFactory(storefront=lessons["video"].section.course.storefront, price=Decimal("0"), published=True)
    from courseplatform.learning.models import Section

    hidden = Lesson.objects.create(section=Section.objects.create(course=other, title="x"), title="Hidden")
    assert client.get(reverse("learning:lesson", args=[hidden.pk])).status_code == 403
    assert client.get(reverse("learning:lesson_video", args=[hidden.pk])).status_code == 403
    assert client.get(reverse("learning:lesson_video", args=[999999])).status_code == 404
