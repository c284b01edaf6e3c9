from django.urls import path

from . import views

app_name = "engagement"
urlpatterns = [
    path("polls/<int:pk>/", views.poll_detail, name="poll"),
    path("polls/<int:pk>/vote/", views.poll_vote, name="poll_vote"),
    path("challenges/<int:pk>/", views.challenge_detail, name="challenge"),
    path("challenges/<int:pk>/join/", views.challenge_join, name="challenge_join"),
    path("challenges/<int:pk>/leaderboard/", views.challenge_leaderboard, name="challenge_leaderboard"),
    path("me/points/", views.my_points, name="my_points"),
    path("rewards/<int:pk>/redeem/", views.reward_redeem, name="reward_redeem"),
    path("studio/storefronts/<slug:slug>/engagement/", views.studio, name="studio"),
    path("studio/storefronts/<slug:slug>/engagement/polls/<int:pk>/close/", views.studio_poll_close,
         name="studio_poll_close"),
    path("studio/storefronts/<slug:slug>/engagement/polls/<int:pk>/votes.csv", views.studio_poll_csv,
         name="studio_poll_csv"),
    path("studio/storefronts/<slug:slug>/engagement/rewards/<int:pk>/toggle/", views.studio_offer_toggle,
         name="studio_offer_toggle"),
    path("studio/storefronts/<slug:slug>/participation/", views.participation, name="participation"),
    path("studio/storefronts/<slug:slug>/participation.png", views.participation_chart, name="participation_chart"),
    path("studio/storefronts/<slug:slug>/participation.csv", views.participation_csv, name="participation_csv"),
]
