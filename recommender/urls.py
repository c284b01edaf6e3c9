from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api

app_name = "recommender"
urlpatterns = [
    path("events", api.EventsView.as_view(), name="events"),
    path("feed", api.FeedView.as_view(), name="feed"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, served from this site (drf-spectacular-sidecar) with its script in a separate request, so the
    # strict CSP holds; Swagger UI sets inline style attributes, so this page alone may use them.
    path("docs", csp_update({"style-src": ["'unsafe-inline'"]})(
        SpectacularSwaggerSplitView.as_view(url_name="recommender:schema")), name="docs"),
]
