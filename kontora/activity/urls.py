"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import events, events_report, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("tasks/<int:pk>/transition/", tasks.task_transition, name="task_transition"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/client/<int:client_id>/", tasks.card_tasks, name="card_tasks"),
    path("clients/<int:client_id>/events/", events.card_events, name="card_events"),
    path("clients/<int:client_id>/events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event, name="event"),
    path("events/<int:pk>/delete/", events.event_delete, name="event_delete"),
    path("reports/events/", events_report.report, name="events_report"),
]
