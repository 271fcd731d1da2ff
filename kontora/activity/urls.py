"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import projects, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("projects/", projects.planner, name="projects"),
    path("projects/new/", projects.item_new, name="project_theme_new"),
    path("projects/<int:pk>/", projects.item, name="project_item"),
    path("projects/<int:pk>/new/", projects.item_new, name="project_case_new"),
    path("projects/<int:pk>/delete/", projects.item_delete, name="project_item_delete"),
]
