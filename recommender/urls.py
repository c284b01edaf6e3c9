from django.urls import path

from . import api

app_name = "recommender"
urlpatterns = [
    path("feed", api.FeedView.as_view(), name="feed"),
]
