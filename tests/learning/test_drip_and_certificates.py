"""Drip release (days after enrolment, or a date) and certificates (PNG, PDF, public verification page)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from courseplatform.catalog.models import Enrollment
from courseplatform.learning import certificates
from courseplatform.learning.models import Certificate
from courseplatform.learning.services import certificate_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_lesson_opens_n_days_after_enrolment(client, enrolled, course, lessons):
    video = lessons["video"]
    video.drip_days = 7
    video.save()
    client.force_login(enrolled)
    locked = client.get(reverse("learning:lesson", args=[video.pk]))
    assert locked.status_code == 403 and "This lesson opens on" in locked.content.decode()
    assert client.get(reverse("learning:lesson_video", args=[video.pk])).status_code == 403
    assert "Opens" in client.get(course.get_absolute_url()).content.decode()
    Enrollment.objects.filter(learner=enrolled).update(created_at=timezone.now() - datetime.timedelta(days=7, seconds=1))
    assert client.get(reverse("learning:lesson", args=[video.pk])).status_code == 200
    assert client.get(reverse("learning:lesson_video", args=[video.pk])).status_code == 200


def test_lesson_opens_on_its_date_and_the_creator_sees_it_before(client, enrolled, creator, lessons):
    quiz = lessons["quiz"]
    quiz.drip_date = timezone.localdate() + datetime.timedelta(days=2)
    quiz.save()
    client.force_login(enrolled)
    assert client.get(reverse("learning:lesson", args=[quiz.pk])).status_code == 403
    assert client.post(reverse("learning:quiz_submit", args=[quiz.pk]), {}).status_code == 403
    client.force_login(creator)
    assert client.get(reverse("learning:lesson", args=[quiz.pk])).status_code == 200
    quiz.drip_date = timezone.localdate()
    quiz.save()
    client.force_login(enrolled)
    assert client.get(reverse("learning:lesson", args=[quiz.pk])).status_code == 200


@pytest.mark.parametrize("name", ["Ada Lovelace", "李小龙", "محمد علي"])
def test_certificate_png_and_pdf_render_any_name(client, course, name):
    learner = UserFactory(first_name=name, last_name="")
    certificate = certificate_issue(learner=learner, course=course)
    assert certificate.learner_name == name
    png = client.get(reverse("learning:certificate_png", args=[certificate.uuid]))
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size == certificates.SIZE
    # ink in the name's band: the text engine drops glyphs no font has, so a missing script leaves it blank
    band = image.convert("L").crop((160, int(0.32 * image.height), image.width - 160, int(0.5 * image.height)))
    assert band.getextrema()[0] < 128
    pdf = client.get(reverse("learning:certificate_pdf", args=[certificate.uuid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_verification_page_shows_name_course_date_and_nothing_else(client, course, enrolled):
    enrolled.email = "secret@example.com"
    enrolled.first_name = "Grace"
    enrolled.save()
    certificate = certificate_issue(learner=enrolled, course=course)
    html = client.get(reverse("learning:certificate", args=[certificate.uuid])).content.decode()
    assert "Grace" in html and course.title in html
    assert str(certificate.issued_at.year) in html
    assert "secret@example.com" not in html and enrolled.username not in html
    assert client.get(reverse("learning:certificate", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_certificate_is_issued_once_and_keeps_what_it_said(course, enrolled):
    first = certificate_issue(learner=enrolled, course=course)
    course.title = "Renamed"
    course.save()
    again = certificate_issue(learner=enrolled, course=course)
    assert again.pk == first.pk and again.course_title != "Renamed"
    assert Certificate.objects.count() == 1


def test_plain_certificate_without_a_plugin(course, enrolled):
    """The core's own drawing (no theming plugin installed): the same size, with ink."""
    certificate = certificate_issue(learner=enrolled, course=course)
    image = certificates._plain(certificate, "1 Jan 2026", certificates.SIZE)
    assert image.size == certificates.SIZE and image.convert("L").getextrema()[0] < 128


def test_a_certificate_names_the_display_name_when_the_account_has_no_full_name(course, enrolled):
    """Sign-up asks for a display name, never a first or last name."""
    enrolled.first_name = enrolled.last_name = ""
    enrolled.display_name = "王小明"
    enrolled.save()
    assert certificate_issue(learner=enrolled, course=course).learner_name == "王小明"
