"""Notification fixtures: the real local SMTP server (tests/smtp.py), and delivery of queued mails in-process
(the worker-driven path has its own tests in tests/reliability and tests/e2e)."""

import pytest

from courseplatform.notifications import services
from courseplatform.notifications.models import OutboxEmail, OutboxStatus
from tests.smtp import smtp_inbox  # noqa: F401 - fixture


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"


def deliver_pending() -> list[str]:
    """Run the delivery task's service for every pending mail, as a worker would."""
    return [services.outbox_deliver(pk) for pk in
            OutboxEmail.objects.filter(status=OutboxStatus.PENDING).order_by("pk").values_list("pk", flat=True)]
