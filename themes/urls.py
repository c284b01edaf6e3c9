"""Theming pages (inside the language prefix)."""

from django.urls import path

from . import views

app_name = "themes"
urlpatterns = [
    path("studio/storefronts/<slug:slug>/palettes/", views.palette_studio, name="palette_studio"),
    path("studio/storefronts/<slug:slug>/palettes/logo-colours/", views.logo_colours_request,
         name="logo_colours_request"),
    path("studio/storefronts/<slug:slug>/palettes/logo-colours/progress/", views.logo_colours_progress,
         name="logo_colours_progress"),
    path("studio/storefronts/<slug:slug>/covers/progress/", views.cover_batch_progress, name="cover_batch_progress"),
    path("studio/palette-jobs/<int:pk>/", views.palette_job, name="palette_job"),
    path("studio/palette-jobs/<int:pk>/progress/", views.palette_job_progress, name="palette_job_progress"),
    path("studio/palette-jobs/<int:pk>/compare/", views.palette_job_compare, name="palette_job_compare"),
    path("studio/palettes/<int:pk>/submit/", views.palette_submit, name="palette_submit"),
    path("studio/palettes/<int:pk>/activate/", views.palette_activate, name="palette_activate"),
    path("studio/palettes/<int:pk>/retire/", views.palette_retire, name="palette_retire"),
    path("studio/courses/<int:pk>/cover-preview/", views.cover_preview, name="cover_preview"),
    path("studio/storefronts/<slug:slug>/cover-preview/", views.cover_live_preview, name="cover_live_preview"),
    path("staff/palettes/", views.review_queue, name="review_queue"),
    path("staff/palettes/<int:pk>/<slug:decision>/", views.review_decide, name="review_decide"),
    path("s/<slug:slug>/style-guide/", views.style_guide, name="style_guide"),
    # assets: the same in every language
    path("s/<slug:slug>/theme.css", views.storefront_theme_css, name="theme_css"),
    path("s/<slug:slug>/tokens/<slug:exporter>", views.download_tokens, name="download_tokens"),
    path("palette-previews.css", views.palette_preview_css, name="preview_css"),
    path("covers/<int:pk>/", views.course_cover, name="course_cover"),
    # palette A/B tests (courseplatform.experiments): a variant palette's theme.css and covers
    path("palettes/<int:pk>/<str:asset>", views.palette_variant_asset, name="palette_variant_asset"),
]
