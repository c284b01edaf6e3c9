from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.privacy_settings, name="settings"),
    path("consent/", views.consent_choose, name="consent"),
    path("export/", views.export_request, name="export_request"),
    path("export/status/", views.export_status, name="export_status"),
    path("export/<str:token>/download/", views.export_download, name="export_download"),
    path("delete/", views.delete_account, name="delete_account"),
]
