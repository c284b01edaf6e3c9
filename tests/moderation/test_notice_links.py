"""The owner's notification links to the content without the moderator's language prefix: the owner reads the
page (and the mailed link) in their own language, not in whichever language the moderator browsed in."""

from django.utils import translation

from courseplatform.moderation import services
from courseplatform.notifications.models import Notification, OutboxEmail


def test_a_decision_taken_in_chinese_links_the_owner_without_a_language_prefix(
        reported, creator, moderator, django_capture_on_commit_callbacks):
    course, case = reported
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        services.case_decide(case=case, actor=moderator, action="hide", note="Unproven medical claims")

    notification = Notification.objects.get(user=creator, kind="content_moderated")
    assert notification.url == f"/courses/{course.pk}/"
    assert "/zh-hans/" not in OutboxEmail.objects.get(user=creator).text_body
