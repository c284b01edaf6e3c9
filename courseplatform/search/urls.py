from django.urls import path

from . import views

app_name = "search"
urlpatterns = [
    path("search/", views.results, name="results"),
    path("search/suggest", views.suggest, name="suggest"),
    path("search/click", views.click, name="click"),
    path("wishlist/", views.wishlist, name="wishlist"),
    path("wishlist/<int:pk>/", views.wishlist_toggle, name="wishlist_toggle"),
    path("staff/search/", views.analytics, name="analytics"),
]
