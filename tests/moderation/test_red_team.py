"""Red team: learners and creators cannot hide content, read reports or see the queue; staff without the
moderation permission cannot either; the owner never learns who reported them."""

import pytest
from django.test import Client

from courseplatform.moderation.models import Case, Decision
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["learner", "other_learner", "creator", "other_creator", "plain_staff"])
def test_no_one_but_moderators_can_hide_read_reports_or_see_the_queue(request, reported, who):
    _course, case = reported
    user = StaffFactory(is_superuser=False) if who == "plain_staff" else request.getfixturevalue(who)
    client = _client(user)
    assert client.get("/staff/moderation/").status_code == 403
    assert client.get(f"/staff/moderation/{case.pk}/").status_code == 403
    for action in ("hide", "dismiss"):
        assert client.post(f"/staff/moderation/{case.pk}/decide/", {"action": action, "note": "x"}).status_code == 403
    admin = client.get(f"/admin/moderation/report/?case__id__exact={case.pk}")
    assert admin.status_code in (302, 403) or b"Medical claims" not in admin.content
    assert not Case.objects.get(pk=case.pk).hidden and not Decision.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(reported):
    _course, case = reported
    client = Client()
    for url in ("/staff/moderation/", f"/staff/moderation/{case.pk}/"):
        assert "/accounts/login/" in client.get(url)["Location"]
    assert "/accounts/login/" in client.post(f"/staff/moderation/{case.pk}/decide/", {"action": "hide"})["Location"]
    assert not Case.objects.get(pk=case.pk).hidden


def test_a_moderator_cannot_hide_their_own_content(reported, moderator):
    _course, case = reported
    Case.objects.filter(pk=case.pk).update(owner=moderator)
    response = _client(moderator).post(f"/staff/moderation/{case.pk}/decide/", {"action": "hide", "note": "x"})
    assert response.status_code == 403 and not Case.objects.get(pk=case.pk).hidden


def test_the_owner_never_sees_who_reported(reported, creator, learner, moderator, django_capture_on_commit_callbacks):
    from courseplatform.moderation import services

    course, case = reported
    with django_capture_on_commit_callbacks(execute=True):
        services.case_decide(case=case, actor=moderator, action="hide", note="Scam")
    owner = _client(creator)
    for url in ("/studio/", course.get_absolute_url()):
        page = owner.get(url).content.decode()
        assert learner.username not in page and "Medical claims" not in page
