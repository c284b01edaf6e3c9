"""Staff pages of the recommender; the project mounts this module at ``staff/recommender/``."""

from django.urls import path

from . import views

app_name = "recommender_staff"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("runs", views.runs_partial, name="runs"),
    path("train", views.train_now, name="train"),
    path("versions/<int:pk>/activate", views.activate, name="activate"),
    path("interleaving/start", views.interleaving_start, name="interleaving_start"),
    path("interleaving/<int:pk>/stop", views.interleaving_stop, name="interleaving_stop"),
]
