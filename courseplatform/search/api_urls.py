from django.urls import path

from . import api

app_name = "search_api"
urlpatterns = [path("search", api.SearchView.as_view(), name="search")]
