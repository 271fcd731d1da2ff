"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import events_report, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("reports/events/", events_report.report, name="events_report"),
]
