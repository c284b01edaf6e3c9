from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<slug:slug>/", views.storefront_detail, name="storefront"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/enroll/", views.course_enroll, name="course_enroll"),
    path("courses/<int:pk>/complete/", views.course_complete, name="course_complete"),
    path("courses/<int:pk>/review/", views.course_review, name="course_review"),
    path("learning/", views.my_learning, name="my_learning"),
    path("studio/", views.studio, name="studio"),
    path("studio/storefronts/new/", views.storefront_create, name="studio_storefront_new"),
    path("studio/storefronts/<slug:slug>/", views.storefront_edit, name="studio_storefront"),
    path("studio/storefronts/<slug:slug>/courses/new/", views.course_create, name="studio_course_new"),
    path("studio/courses/<int:pk>/", views.course_edit, name="studio_course"),
]
