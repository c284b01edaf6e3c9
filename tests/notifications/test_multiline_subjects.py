"""Mail headers and markup: a message with line breaks (a moderator's or reviewer's multi-line note, a title pasted with a newline) still
makes a one-line subject: a newline in a mail header is refused by the mail library, which would leave the mail
stuck unsent."""

import pytest

from courseplatform.notifications import kinds, services
from courseplatform.notifications.kinds import Channel
from courseplatform.notifications.models import OutboxEmail, OutboxStatus

from .conftest import deliver_pending

pytestmark = pytest.mark.django_db


def test_a_multi_line_note_is_mailed_with_a_one_line_subject(creator, smtp_inbox):
    services.notify(creator, kinds.PALETTE_REVIEWED, key="palette:1:rejected",
                    params={"storefront": "Shop", "approved": False,
                            "note": "Too little contrast.\r\nTry a darker blue.\nThanks"}, url="/studio/")

    assert deliver_pending() == ["sent"]
    assert OutboxEmail.objects.get().status == OutboxStatus.SENT
    mail, = smtp_inbox.wait_for(1)
    assert "Too little contrast. Try a darker blue. Thanks" in mail["Subject"].replace("\n", "")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Try a darker blue.\nThanks" in text.replace("\r\n", "\n")  # the body keeps the note's lines


def test_a_chinese_mail_says_its_html_is_chinese(learner, smtp_inbox):
    """Screen readers and mail clients pick the voice and fonts from ``<html lang>``."""
    services.preferences_set(user=learner, channels={}, language="zh-hans")
    services.notify(learner, kinds.CHALLENGE_REMINDER, key="c1", params={"challenge": "SQL", "ends": "2026-12-31"})
    services.preferences_set(user=learner, channels={kinds.CERTIFICATE_EARNED: Channel.DIGEST})
    services.notify(learner, kinds.CERTIFICATE_EARNED, key="cert1", params={"course": "SQL"})
    assert services.digests_send() == 1

    assert OutboxEmail.objects.count() == 2  # the reminder, and the digest
    for row in OutboxEmail.objects.all():
        assert '<html lang="zh-hans">' in row.html_body
