"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import planner, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("tasks/<int:pk>/move/", planner.task_move, name="task_move"),
    path("plans/fortnight/", planner.fortnight, name="fortnight"),
    path("plans/fortnight/day/", planner.fortnight_day, name="fortnight_day"),
    path("plans/day/", planner.day, name="day"),
]
