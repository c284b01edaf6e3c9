from django.urls import path

from . import api

app_name = "events"
urlpatterns = [
    path("events", api.EventsView.as_view(), name="ingest"),
]
