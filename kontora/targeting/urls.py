"""Administration → Targeting system, and the Assistant's targeting monitor."""

from django.urls import path

from kontora.targeting import views

app_name = "targeting"
urlpatterns: list = [
    path("setup/", views.setup, name="setup"),
    path("goals/new/", views.goal_new, name="goal_new"),
    path("goals/<int:pk>/", views.goal, name="goal"),
    path("monitor/", views.monitor, name="monitor"),
]
