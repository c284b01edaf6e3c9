"""DRF serializers of ``GET /api/feed`` (they also document it in the OpenAPI schema)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class FeedQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=50, default=20, required=False)


class FeedCourseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    category = serializers.CharField()
    storefront = serializers.CharField()
    price = serializers.DecimalField(max_digits=8, decimal_places=2)


class FeedItemSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    course = FeedCourseSerializer()
    reason = serializers.CharField()
    reason_code = serializers.CharField()


class FeedResponseSerializer(serializers.Serializer):
    version = serializers.IntegerField(allow_null=True, help_text=_("Active model version, if any."))
    items = FeedItemSerializer(many=True)
