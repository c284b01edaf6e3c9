"""Staff decisions: hide, restore and dismiss through the transitions table, each with an audit row; the owner
sees the note on their studio page (and in their notifications when that app is installed)."""

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from courseplatform.moderation import services
from courseplatform.moderation.models import Case, Decision

pytestmark = pytest.mark.django_db


def _decide(case, actor, action, note="", capture=None):
    with capture(execute=True):
        return services.case_decide(case=case, actor=actor, action=action, note=note)


def test_hide_then_restore_writes_the_audit_trail(reported, moderator, django_capture_on_commit_callbacks):
    _course, case = reported
    _decide(case, moderator, "hide", "Unproven medical claims", django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert case.hidden and not case.open and case.owner_note == "Unproven medical claims"
    assert case.decided_by == moderator
    _decide(case, moderator, "restore", "Claims removed by the creator", django_capture_on_commit_callbacks)
    case.refresh_from_db()
    assert not case.hidden and case.owner_note == "Claims removed by the creator"
    trail = list(Decision.objects.filter(case=case).order_by("id").values_list(
        "action", "hidden_before", "hidden_after", "actor_id"))
    assert trail == [("hide", False, True, moderator.pk), ("restore", True, False, moderator.pk)]


def test_transitions_outside_the_table_are_refused(reported, moderator, django_capture_on_commit_callbacks):
    _course, case = reported
    with pytest.raises(services.InvalidTransition):
        services.case_decide(case=case, actor=moderator, action="restore", note="")  # not hidden
    _decide(case, moderator, "dismiss", "", django_capture_on_commit_callbacks)
    with pytest.raises(services.InvalidTransition):
        services.case_decide(case=case, actor=moderator, action="dismiss")  # nothing left to dismiss
    _decide(case, moderator, "hide", "Spam", django_capture_on_commit_callbacks)
    with pytest.raises(services.InvalidTransition):
        services.case_decide(case=case, actor=moderator, action="hide", note="again")
    assert Decision.objects.filter(case=case).count() == 2


def test_hiding_needs_a_note_for_the_owner(reported, moderator):
    _course, case = reported
    with pytest.raises(ValidationError):
        services.case_decide(case=case, actor=moderator, action="hide", note="  ")
    assert not Case.objects.get(pk=case.pk).hidden


def test_a_new_report_reopens_a_dismissed_case(reported, moderator, other_learner,
                                               django_capture_on_commit_callbacks):
    course, case = reported
    _decide(case, moderator, "dismiss", "", django_capture_on_commit_callbacks)
    assert not Case.objects.get(pk=case.pk).open
    services.report_submit(reporter=other_learner, kind="course", content=course, reason="spam")
    assert Case.objects.get(pk=case.pk).open


def test_only_staff_with_the_permission_and_never_the_owner_may_decide(reported, learner, creator, staff,
                                                                     moderator):
    _course, case = reported
    for actor in (learner, creator):
        with pytest.raises(PermissionDenied):
            services.case_decide(case=case, actor=actor, action="hide", note="x")
    case.owner = moderator
    case.save()
    with pytest.raises(PermissionDenied):  # a moderator's own content
        services.case_decide(case=case, actor=moderator, action="hide", note="x")
    assert services.moderation_refusal(case, staff) == ""  # a superuser has every permission


def test_the_owner_sees_the_note_on_the_studio_page(reported, creator, moderator, django_capture_on_commit_callbacks):
    _course, case = reported
    _decide(case, moderator, "hide", "Unproven medical claims", django_capture_on_commit_callbacks)
    client = Client()
    client.force_login(creator)
    page = client.get("/studio/").content.decode()
    assert "Moderation notices" in page and "Unproven medical claims" in page and "Quantum Crystal Healing" in page


@pytest.mark.skipif(not apps.is_installed("courseplatform.notifications"), reason="notifications app not installed")
def test_the_owner_is_notified_when_notifications_are_installed(reported, creator, moderator,
                                                                django_capture_on_commit_callbacks):
    from courseplatform.notifications.models import Notification

    _course, case = reported
    _decide(case, moderator, "hide", "Unproven medical claims", django_capture_on_commit_callbacks)
    notification = Notification.objects.get(user=creator, kind="content_moderated")
    assert notification.params["note"] == "Unproven medical claims"


def test_the_queue_lists_open_cases_and_the_case_page_its_history(reported, moderator, learner,
                                                                 django_capture_on_commit_callbacks):
    _course, case = reported
    client = Client()
    client.force_login(moderator)
    queue = client.get("/staff/moderation/").content.decode()
    assert "Quantum Crystal Healing" in queue
    detail = client.get(f"/staff/moderation/{case.pk}/").content.decode()
    assert "Medical claims" in detail and str(learner) in detail and "No decision yet." in detail
    assert client.post(f"/staff/moderation/{case.pk}/decide/", {"action": "hide"}).status_code == 400  # no note
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/moderation/{case.pk}/decide/", {"action": "hide", "note": "Scam"})
    assert response.status_code == 302
    assert "Quantum Crystal Healing" not in client.get("/staff/moderation/").content.decode()
    assert "Quantum Crystal Healing" in client.get("/staff/moderation/?show=hidden").content.decode()
    assert "Scam" in client.get(f"/staff/moderation/{case.pk}/").content.decode()
