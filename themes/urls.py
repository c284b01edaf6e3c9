from django.urls import path

from . import views

app_name = "themes"
urlpatterns = [
    path("covers/<int:pk>/", views.course_cover, name="course_cover"),
]
