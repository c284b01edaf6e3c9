"""Abandoned checkouts expire on the beat schedule, not only when someone runs the command."""

import pytest

from courseplatform.commerce import tasks
from courseplatform.commerce.models import Order
from courseplatform.commerce.services import checkout_start
from workers import app
from workers.routing import beat_schedule

pytestmark = pytest.mark.django_db


def test_beat_runs_the_expiry_task_every_five_minutes_by_default():
    entry = beat_schedule()["expire-orders"]
    assert entry["task"] == "commerce.expire_orders" and entry["schedule"] == 300.0
    assert "commerce.expire_orders" in app.tasks


def test_the_expiry_task_ends_stale_pending_orders(learner, paid_course):
    order = checkout_start(learner=learner, course=paid_course)
    Order.objects.filter(pk=order.pk).update(expires_at=order.created_at)
    assert tasks.expire_orders() == 1
    assert Order.objects.get(pk=order.pk).status == "expired"
