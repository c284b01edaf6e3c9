"""``GET /api/orders``: the logged-in learner's orders, newest first (DRF, documented with drf-spectacular)."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import ListAPIView
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import IsAuthenticated

from . import selectors
from .models import Order


class OrderSerializer(serializers.ModelSerializer):
    course = serializers.IntegerField(source="course_id", help_text="Course id.")
    course_title = serializers.CharField(source="course.title")
    coupon = serializers.SerializerMethodField(help_text="The coupon code used, or null.")
    receipt_url = serializers.SerializerMethodField(help_text="The receipt page, once paid.")

    class Meta:
        model = Order
        fields = ("number", "status", "course", "course_title", "currency", "list_price", "discount", "amount",
                  "coupon", "created_at", "paid_at", "receipt_url")

    def get_coupon(self, order) -> str | None:
        return order.coupon.code if order.coupon else None

    def get_receipt_url(self, order) -> str | None:
        return reverse("commerce:receipt", kwargs={"order": order.number}) if order.paid_at else None


class OrderPagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 200


class OrderListView(ListAPIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    serializer_class = OrderSerializer
    pagination_class = OrderPagination

    def get_queryset(self):
        return selectors.orders_of(self.request.user)

    @extend_schema(operation_id="orders", summary="The learner's orders",
                   description="The logged-in learner's orders, newest first: status (pending, paid, refunded, "
                               "failed, expired), the server-computed price snapshot and the receipt page.",
                   responses={200: OrderSerializer(many=True), 403: OpenApiResponse(
                       inline_serializer("OrdersForbidden", {"detail": serializers.CharField()}),
                       description="Not logged in.")})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
