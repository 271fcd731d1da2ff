"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import cleanup, journal, monitor, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("tasks/", journal.task_journal, name="task_journal"),
    path("tasks/control/", journal.task_control, name="task_control"),
    path("tasks/monitor/", monitor.task_monitor, name="task_monitor"),
    path("administration/maintenance/", cleanup.cleanup, name="cleanup"),
]
