"""Page editor (creator studio) and the public newsletter sign-up; mounted inside the language prefix."""

from django.urls import path

from . import views

app_name = "pages"
urlpatterns = [
    path("studio/storefronts/<slug:slug>/page/", views.editor, name="editor"),
    path("studio/storefronts/<slug:slug>/page/sections/add/", views.section_add, name="section_add"),
    path("studio/storefronts/<slug:slug>/page/sections/reorder/", views.sections_reorder, name="reorder"),
    path("studio/storefronts/<slug:slug>/page/sections/<slug:section_id>/", views.section_edit, name="section_edit"),
    path("studio/storefronts/<slug:slug>/page/sections/<slug:section_id>/move/", views.section_move,
         name="section_move"),
    path("studio/storefronts/<slug:slug>/page/sections/<slug:section_id>/remove/", views.section_remove,
         name="section_remove"),
    path("studio/storefronts/<slug:slug>/page/preview/", views.preview, name="preview"),
    path("studio/storefronts/<slug:slug>/page/publish/", views.publish, name="publish"),
    path("studio/storefronts/<slug:slug>/page/unpublish/", views.unpublish, name="unpublish"),
    path("studio/storefronts/<slug:slug>/page/versions/", views.versions, name="versions"),
    path("studio/storefronts/<slug:slug>/page/versions/<int:number>/restore/", views.restore, name="restore"),
    path("s/<slug:slug>/newsletter/", views.newsletter_signup, name="newsletter_signup"),
    path("newsletter/confirm/<str:token>/", views.newsletter_confirm, name="newsletter_confirm"),
]
