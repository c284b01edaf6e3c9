"""Endpoints outside the language prefixes: the learner's orders (JSON API) and providers' webhooks."""

from django.urls import path

from . import api, webhook_views

app_name = "commerce_api"
urlpatterns = [
    path("api/orders", api.OrderListView.as_view(), name="orders"),
    path("payments/webhooks/<str:variant>/", webhook_views.webhook, name="webhook"),
]
