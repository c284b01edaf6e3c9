"""Creator (and staff) pages for palette A/B tests and storefront analytics.

Included inside the language prefix in ``courseplatform/urls.py``:
``path("", include("courseplatform.experiments.urls")),``
"""

from django.urls import path

from . import views

app_name = "experiments"
urlpatterns = [
    path("studio/storefronts/<slug:slug>/experiments/", views.experiment_list, name="list"),
    path("studio/storefronts/<slug:slug>/experiments/<int:pk>/", views.experiment_detail, name="detail"),
    path("studio/storefronts/<slug:slug>/experiments/<int:pk>/chart.png", views.experiment_chart, name="chart"),
    path("studio/storefronts/<slug:slug>/experiments/<int:pk>/<slug:action>/", views.experiment_action,
         name="action"),
    path("studio/storefronts/<slug:slug>/analytics/", views.analytics, name="analytics"),
    path("studio/storefronts/<slug:slug>/analytics/<slug:chart>.png", views.analytics_chart,
         name="analytics_chart"),
    path("studio/storefronts/<slug:slug>/analytics/export.csv", views.analytics_csv, name="analytics_csv"),
]
