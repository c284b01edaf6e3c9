from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import api

app_name = "recommender"
urlpatterns = [
    path("events", api.EventsView.as_view(), name="events"),
    path("feed", api.FeedView.as_view(), name="feed"),
    path("schema", SpectacularAPIView.as_view(), name="schema"),
]
