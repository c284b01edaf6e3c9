from django.urls import path

from . import studio_views, views

app_name = "learning"
urlpatterns = [
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/complete/", views.lesson_complete, name="lesson_complete"),
    path("lessons/<int:pk>/report/", views.lesson_report, name="lesson_report"),
    path("lessons/<int:pk>/quiz/", views.quiz_submit, name="quiz_submit"),
    path("lessons/<int:pk>/video/", views.lesson_video, name="lesson_video"),
    path("lessons/<int:pk>/captions.vtt", views.lesson_captions, name="lesson_captions"),
    path("lessons/<int:pk>/file/", views.lesson_attachment, name="lesson_attachment"),
    path("certificates/<uuid:uuid>/", views.certificate_verify, name="certificate"),
    path("certificates/<uuid:uuid>/certificate.png", views.certificate_png, name="certificate_png"),
    path("certificates/<uuid:uuid>/certificate.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("studio/courses/<int:pk>/curriculum/", studio_views.curriculum, name="studio_curriculum"),
    path("studio/courses/<int:pk>/curriculum/reorder/", studio_views.reorder, name="studio_reorder"),
    path("studio/courses/<int:pk>/curriculum/publish/", studio_views.publish, name="studio_publish"),
    path("studio/sections/<int:pk>/", studio_views.section_edit, name="studio_section"),
    path("studio/sections/<int:pk>/delete/", studio_views.section_delete, name="studio_section_delete"),
    path("studio/sections/<int:pk>/move/", studio_views.section_move, name="studio_section_move"),
    path("studio/sections/<int:pk>/lessons/new/", studio_views.lesson_new, name="studio_lesson_new"),
    path("studio/lessons/<int:pk>/", studio_views.lesson_edit, name="studio_lesson"),
    path("studio/lessons/<int:pk>/delete/", studio_views.lesson_delete, name="studio_lesson_delete"),
    path("studio/lessons/<int:pk>/move/", studio_views.lesson_move, name="studio_lesson_move"),
    path("studio/lessons/<int:pk>/questions/", studio_views.question_add, name="studio_question_add"),
    path("studio/questions/<int:pk>/delete/", studio_views.question_delete, name="studio_question_delete"),
]
