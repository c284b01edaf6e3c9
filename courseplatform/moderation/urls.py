from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("report/<slug:kind>/<int:pk>/", views.report, name="report"),
    path("staff/moderation/", views.queue, name="queue"),
    path("staff/moderation/<int:pk>/", views.case, name="case"),
    path("staff/moderation/<int:pk>/decide/", views.decide, name="decide"),
]
