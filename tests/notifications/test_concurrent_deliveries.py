"""Two workers handed the same mail at once (a duplicated message, the sweep racing a slow worker): the
conditional claim lets exactly one of them send. Threads with their own database connections."""

import threading

import pytest
from django.db import connection

from courseplatform.notifications import kinds, services
from courseplatform.notifications.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_deliveries_of_one_mail_send_it_once(learner, smtp_inbox):
    services.notify(learner, kinds.CERTIFICATE_EARNED, key="cert:race", params={"course": "Statistics"})
    row = OutboxEmail.objects.get()
    barrier, results = threading.Barrier(8), []

    def deliver() -> None:
        try:
            barrier.wait()
            results.append(services.outbox_deliver(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["sent"] + ["skipped"] * 7
    assert len(smtp_inbox.wait_for(2, timeout=2)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 8)
