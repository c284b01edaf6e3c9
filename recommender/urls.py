from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import api

app_name = "recommender"
urlpatterns = [
    path("events", api.EventsView.as_view(), name="events"),
    path("feed", api.FeedView.as_view(), name="feed"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, served from this site (drf-spectacular-sidecar) with its init script in a separate request and
    # its page style in a static file (courseplatform/templates/drf_spectacular/), so the strict CSP holds
    path("docs", SpectacularSwaggerSplitView.as_view(url_name="recommender:schema"), name="docs"),
]
