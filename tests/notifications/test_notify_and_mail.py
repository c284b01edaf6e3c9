"""notify(): the centre, the channels a user chose, the outbox (idempotent), mails over real SMTP with a text
and HTML part, the unsubscribe link and List-Unsubscribe headers, the recipient's language, the daily digest."""

import re

import pytest
from django.core.exceptions import ValidationError

from courseplatform.notifications import kinds, selectors, services
from courseplatform.notifications.kinds import Channel, Kind
from courseplatform.notifications.models import Notification, OutboxEmail, OutboxStatus
from workers.routing import beat_schedule

from .conftest import deliver_pending

pytestmark = pytest.mark.django_db


def remind(user, key="c1:2026-12-06"):
    return services.notify(user, kinds.CHALLENGE_REMINDER, key=key,
                           params={"challenge": "30 days of SQL", "ends": "2026-12-31"}, url="/learning/")


def test_notify_puts_it_in_the_centre_and_mails_it_over_smtp(learner, smtp_inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = remind(learner)
    assert callbacks, "the delivery task is sent once the notification commits"
    assert selectors.unread_count(learner) == 1
    assert "30 days of SQL" in notification.message
    assert deliver_pending() == ["sent"]
    mail, = smtp_inbox.wait_for(1)
    assert mail["To"] == learner.email and "30 days of SQL" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "http://testserver/learning/" in text and 'href="http://testserver/learning/"' in html
    unsubscribe = re.search(r"http://testserver/notifications/unsubscribe/[^/\s]+/", text).group(0)
    assert mail["List-Unsubscribe"].strip() == f"<{unsubscribe}>"  # folded: the URL is long
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in html


def test_the_same_key_tells_once_and_mails_once(learner):
    first, again = remind(learner), remind(learner)
    assert first.pk == again.pk
    assert Notification.objects.count() == 1 and OutboxEmail.objects.count() == 1


def test_a_redelivered_task_does_not_send_again(learner, smtp_inbox):
    remind(learner)
    row = OutboxEmail.objects.get()
    assert services.outbox_deliver(row.pk) == "sent"
    assert services.outbox_deliver(row.pk) == "skipped"  # the broker delivers the same message again
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)
    assert len(smtp_inbox.wait_for(2, timeout=1)) == 1


def test_an_smtp_outage_leaves_the_mail_pending_for_the_retry(learner, settings, smtp_inbox):
    remind(learner)
    row = OutboxEmail.objects.get()
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens: connection refused
    with pytest.raises(services.MailNotSent):
        services.outbox_deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboxStatus.PENDING and row.error
    settings.EMAIL_PORT = port
    assert services.outbox_deliver(row.pk) == "sent"
    assert len(smtp_inbox.wait_for(1)) == 1


@pytest.mark.parametrize(("channel", "in_centre", "mailed_now", "in_digest"), [
    (Channel.EMAIL, True, True, False),
    (Channel.DIGEST, True, False, True),
    (Channel.IN_APP, True, False, False),
    (Channel.OFF, False, False, False),
])
def test_the_users_channel_decides(learner, channel, in_centre, mailed_now, in_digest):
    services.preferences_set(user=learner, channels={kinds.CHALLENGE_REMINDER: channel})
    notification = remind(learner)
    assert (notification is not None) == in_centre
    assert Notification.objects.filter(user=learner).exists() == in_centre
    assert OutboxEmail.objects.exists() == mailed_now
    assert Notification.objects.filter(in_digest=True).exists() == in_digest


def test_preferences_are_per_kind(learner):
    services.preferences_set(user=learner, channels={kinds.CHALLENGE_REMINDER: Channel.OFF})
    assert remind(learner) is None
    assert services.notify(learner, kinds.CERTIFICATE_EARNED, key="cert:1", params={"course": "SQL"}) is not None


def test_preferences_refuse_unknown_kinds_and_channels_a_kind_does_not_offer(learner):
    with pytest.raises(ValidationError):
        services.preferences_set(user=learner, channels={"no_such_kind": Channel.OFF})
    with pytest.raises(ValidationError):
        services.preferences_set(user=learner, channels={kinds.ORDER_RECEIPT: Channel.EMAIL})
    with pytest.raises(ValidationError):
        services.preferences_set(user=learner, channels={kinds.JOB_FAILED: "carrier-pigeon"})
    with pytest.raises(ValidationError):
        services.preferences_set(user=learner, channels={}, language="xx")


def test_an_unknown_kind_is_a_programming_error(learner):
    with pytest.raises(LookupError):
        services.notify(learner, "no_such_kind", key="k")


def test_other_apps_register_their_own_kinds(learner):
    badge = kinds.register(Kind("test_badge_earned", "Badge earned", lambda p: f"Badge: {p['badge']}"))
    try:
        notification = services.notify(learner, badge.key, key="b1", params={"badge": "Streak"})
        assert notification.message == "Badge: Streak"
        assert "test_badge_earned" in selectors.channels_for(learner)
    finally:
        kinds._REGISTRY.pop(badge.key)


def test_a_user_without_an_address_gets_the_centre_only(learner):
    learner.email = ""
    learner.save()
    assert remind(learner) is not None
    assert not OutboxEmail.objects.exists()


def test_mails_are_written_in_the_recipients_language(learner, smtp_inbox):
    services.preferences_set(user=learner, channels={}, language="zh-hans")
    services.notify(learner, kinds.CERTIFICATE_EARNED, key="cert:9", params={"course": "SQL"})
    deliver_pending()
    mail, = smtp_inbox.wait_for(1)
    assert "证书" in mail["Subject"]
    assert "/zh-hans/notifications/unsubscribe/" in mail.get_body(preferencelist=("plain",)).get_content()


def test_the_digest_collects_waiting_notifications_into_one_mail(learner, smtp_inbox):
    services.preferences_set(user=learner, channels={kinds.CHALLENGE_REMINDER: Channel.DIGEST,
                                                     kinds.CERTIFICATE_EARNED: Channel.DIGEST})
    remind(learner, key="a")
    remind(learner, key="b")
    services.notify(learner, kinds.CERTIFICATE_EARNED, key="cert:2", params={"course": "Statistics"})
    assert not OutboxEmail.objects.exists()
    assert services.digests_send() == 1
    assert services.digests_send() == 0  # a second run (or a redelivered task) finds nothing waiting
    deliver_pending()
    mail, = smtp_inbox.wait_for(1)
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert text.count("30 days of SQL") == 2 and "Statistics" in text
    assert "3" in mail["Subject"]
    assert mail["List-Unsubscribe"]
    remind(learner, key="c")
    assert services.digests_send() == 1  # the next day's digest has the new one only
    assert OutboxEmail.objects.count() == 2


def test_the_digest_is_on_the_beat_schedule_declared_by_the_app():
    schedule = beat_schedule()
    assert schedule["notifications-digest"]["task"] == "notifications.send_digests"
    assert schedule["notifications-digest"]["schedule"] == 24 * 3600
    assert schedule["notifications-sweep-outbox"]["task"] == "notifications.sweep_outbox"


def test_the_sweep_sends_the_task_again_for_mails_left_pending(learner):
    from datetime import timedelta

    from django.utils import timezone

    remind(learner)
    assert services.outbox_sweep() == 0  # just queued: its task is on its way
    assert services.outbox_sweep(now=timezone.now() + timedelta(minutes=5)) == 1


def test_staff_can_queue_an_unconfirmed_mail_again(learner, smtp_inbox):
    remind(learner)
    row = OutboxEmail.objects.get()
    OutboxEmail.objects.filter(pk=row.pk).update(status=OutboxStatus.SENDING)  # a worker died mid-send
    assert services.outbox_deliver(row.pk) == "skipped"
    assert services.outbox_requeue([row.pk]) == 1
    assert services.outbox_deliver(row.pk) == "sent"
    assert len(smtp_inbox.wait_for(1)) == 1
