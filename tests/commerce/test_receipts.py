"""Receipts travel over SMTP (a real local server) in the learner's language."""

import pytest

from courseplatform.commerce.models import Order
from tests.smtp import smtp_inbox  # noqa: F401 - fixture

from .conftest import PAY, buy

pytestmark = pytest.mark.django_db


def test_the_receipt_is_mailed_over_smtp_with_the_order_and_amount(
        client, learner, paid_course, smtp_inbox, django_capture_on_commit_callbacks):  # noqa: F811
    client.force_login(learner)
    order = buy(client, paid_course, django_capture_on_commit_callbacks)
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == learner.email and "Paid course" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert str(order.number) in text and "$49.00" in text and "$49.00" in html


def test_a_chinese_learner_gets_a_chinese_receipt(client, learner, yuan_course, smtp_inbox,  # noqa: F811
                                                  django_capture_on_commit_callbacks):
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/zh-hans/courses/{yuan_course.pk}/checkout/", {"coupon": ""})
        order = Order.objects.get(learner=learner)
        client.post(f"/zh-hans/orders/{order.number}/pay/", PAY)
    [message] = smtp_inbox.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    assert "199.00 元" in text and "CN¥" not in text and "订单号" in text and "实付金额" in text
