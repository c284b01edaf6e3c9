"""A notification mail under task redelivery: the worker is SIGKILLed after the mail reached the SMTP server and
before the task was acknowledged (acks_late). The broker redelivers the message to the next worker; the outbox
row, claimed before sending, makes that delivery a no-op: the mail arrives exactly once.

The kill comes from the SMTP server itself (aiosmtpd, in this process), while it holds the received message:
the worst moment, since the worker cannot even learn that the server took the mail.
"""

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from courseplatform.notifications import kinds, services
from courseplatform.notifications.models import OutboxEmail, OutboxStatus
from tests.conftest import wait_for
from tests.smtp import Inbox

from .conftest import worker_log

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


class KillingInbox(Inbox):
    """Keeps each message; the first one also SIGKILLs the worker that is sending it."""

    def __init__(self):
        super().__init__()
        self.victim = None

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's handler name
        await super().handle_DATA(server, session, envelope)
        if self.victim is not None:
            victim, self.victim = self.victim, None
            victim.kill()  # os.killpg(SIGKILL): the task is neither finished nor acknowledged
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def killing_smtp(settings):
    inbox = KillingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.SITE_URL = "http://testserver"
    try:
        yield inbox, f"smtp://{controller.hostname}:{controller.port}"
    finally:
        controller.stop()


def test_worker_killed_after_sending_before_ack_the_mail_arrives_once(fault_worker, killing_smtp, creator):
    inbox, email_url = killing_smtp
    first = fault_worker("default", pool="solo", extra_env={"EMAIL_URL": email_url})
    inbox.victim = first
    notification = services.notify(creator, kinds.CHALLENGE_REMINDER, key="challenge:1:2026-12-06",
                                   params={"challenge": "Ship it", "ends": "2026-12-24"}, url="/learning/")
    row = OutboxEmail.objects.get(key=f"notification:{notification.pk}")

    wait_for(lambda: first.proc.poll() is not None, timeout=60, interval=0.1)
    assert len(inbox.messages) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENDING, 1), "killed between the claim and the mark"

    killed_at = time.monotonic()
    second = fault_worker("default", pool="solo", extra_env={"EMAIL_URL": email_url})
    # the unacknowledged message comes back after the visibility timeout (10 s in the test settings)
    wait_for(lambda: OutboxEmail.objects.filter(pk=row.pk, attempts__gte=2).exists(), timeout=90, interval=0.5)
    assert time.monotonic() - killed_at < 90
    assert "notifications.send_email" in worker_log(second)
    time.sleep(2)  # anything the redelivery would have sent has reached the server by now
    assert len(inbox.messages) == 1, "the redelivered task sent the mail again"
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENDING  # unconfirmed: left for staff (admin "send again"), not re-sent
    assert "Ship it" in inbox.messages[0]["Subject"]
