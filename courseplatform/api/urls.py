"""The OpenAPI schema of every API and its Swagger UI, served from this site (drf-spectacular-sidecar) with its
init script in a separate request and its page style in a static file (courseplatform/templates/drf_spectacular/),
so the strict CSP holds."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

app_name = "api"
urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
