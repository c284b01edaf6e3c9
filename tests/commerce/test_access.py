"""IDOR: another learner's orders and receipts, another creator's sales, coupons, refunds and statements are
404s; the learner's API lists only their own orders and is in the OpenAPI schema."""

from decimal import Decimal

import pytest
from django.urls import reverse

from courseplatform.commerce import refunds
from courseplatform.commerce.models import Coupon, Refund
from tests.factories import CreatorFactory, UserFactory

from .conftest import buy

pytestmark = pytest.mark.django_db


@pytest.fixture
def bought(client, learner, paid_course, django_capture_on_commit_callbacks):
    client.force_login(learner)
    order = buy(client, paid_course, django_capture_on_commit_callbacks)
    refunds.refund_request(order=order, learner=learner)
    return order


def test_another_learner_cannot_see_or_act_on_an_order_or_its_receipt(client, bought):
    client.force_login(UserFactory())
    for name in ("commerce:order", "commerce:receipt", "commerce:order_pay"):
        assert client.get(reverse(name, args=[bought.number])).status_code == 404, name
    assert client.post(reverse("commerce:refund_request", args=[bought.number])).status_code == 404
    assert client.post(reverse("commerce:order_pay", args=[bought.number]), {"status": "confirmed"}).status_code == 404


def test_another_creator_cannot_see_sales_statements_coupons_or_decide_refunds(client, bought):
    slug = bought.storefront.slug
    coupon = Coupon.objects.create(storefront=bought.storefront, code="MINE", kind="percent", value=Decimal("5"))
    refund = Refund.objects.get(order=bought)
    client.force_login(CreatorFactory())
    for name in ("commerce:sales", "commerce:coupons", "commerce:statement", "commerce:statement_csv"):
        assert client.get(reverse(name, args=[slug])).status_code == 404, name
    assert client.post(reverse("commerce:refund_decide", args=[slug, refund.pk, "approve"])).status_code == 404
    assert client.post(reverse("commerce:coupon_pause", args=[slug, coupon.pk])).status_code == 404
    refund.refresh_from_db()
    coupon.refresh_from_db()
    assert refund.status == "requested" and not coupon.paused


def test_a_creator_cannot_decide_another_storefronts_refund_through_their_own_storefront(client, bought):
    other = CreatorFactory()
    from tests.factories import StorefrontFactory

    theirs = StorefrontFactory(owner=other)
    refund = Refund.objects.get(order=bought)
    client.force_login(other)
    url = reverse("commerce:refund_decide", args=[theirs.slug, refund.pk, "approve"])
    assert client.post(url).status_code == 404
    assert Refund.objects.get(pk=refund.pk).status == "requested"


def test_the_orders_api_lists_only_the_learners_own_orders(client, learner, bought):
    response = client.get("/api/orders")
    assert response.status_code == 200
    body = response.json()
    assert [o["number"] for o in body["results"]] == [str(bought.number)]
    assert body["results"][0]["amount"] == "49.00" and body["results"][0]["status"] == "paid"
    client.force_login(UserFactory())
    assert client.get("/api/orders").json()["results"] == []
    client.logout()
    assert client.get("/api/orders").status_code == 403


def test_the_orders_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/orders" in schema and "The learner's orders" in schema
