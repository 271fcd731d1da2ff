"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("tasks/<int:pk>/transition/", tasks.task_transition, name="task_transition"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/client/<int:client_id>/", tasks.card_tasks, name="card_tasks"),
]
