"""What happens on the platform, for plugins to react to (Django signals, sent once the transaction commits).

Senders are the core services; receivers must not assume they run in the request's transaction. Send with
:func:`send_on_commit` so a rolled-back write never announces itself. Arguments are keyword-only:

* ``course_enrolled``: ``learner``, ``course``, ``enrollment`` (a new enrolment, not a repeated click)
* ``course_completed``: ``learner``, ``course``, ``enrollment``
* ``course_reviewed``: ``learner``, ``course``, ``review``, ``created`` (a new review, or an edit)
* ``course_published``: ``course`` (a course became visible in the catalogue)
* ``experiment_finished``: ``experiment`` (its data are final: refit what depends on them)
* ``order_paid``: ``order`` (commerce, when it lands)
* ``lesson_completed``: ``learner``, ``lesson`` (curriculum: marked, watched or its quiz passed)
* ``quiz_passed``: ``learner``, ``lesson``, ``attempt`` (the first passing attempt of a quiz lesson)
* ``palette_reviewed``: ``creator``, ``storefront``, ``palette_id``, ``approved`` (bool), ``note``, ``url`` (the
  creator's page of it): a reviewer decided; sent by the theming plugin, whose models the core does not know
* ``job_failed``: ``job`` (a tracked job, any ``TrackedJob`` subclass, ended failed)
* ``certificate_issued``: ``learner``, ``course``, ``certificate`` (a new certificate, not a repeated look-up)
* ``user_signed_up``: ``user``, ``language`` (the language of the page they signed up on)
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

course_enrolled = Signal()
course_completed = Signal()
course_reviewed = Signal()
course_published = Signal()
experiment_finished = Signal()
order_paid = Signal()
lesson_completed = Signal()
quiz_passed = Signal()
palette_reviewed = Signal()
job_failed = Signal()
certificate_issued = Signal()
user_signed_up = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    """Send ``signal`` after the current transaction commits (at once outside a transaction). A failing
    receiver is logged, never raised: the write it reacts to has already happened."""

    def send() -> None:
        for receiver, result in signal.send_robust(sender=sender, **kwargs):
            if isinstance(result, Exception):
                logger.error("receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
