"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import (
    cleanup,
    events,
    feeds,
    journal,
    monitor,
    planner,
    projects,
    schedule,
    tasks,
)

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("tasks/", journal.task_journal, name="task_journal"),
    path("tasks/monitor/", monitor.task_monitor, name="task_monitor"),
    path("administration/maintenance/", cleanup.cleanup, name="cleanup"),
    path("tasks/<int:pk>/transition/", tasks.task_transition, name="task_transition"),
    path("tasks/<int:pk>/delete/", tasks.task_delete, name="task_delete"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/client/<int:client_id>/", tasks.card_tasks, name="card_tasks"),
    path("clients/<int:client_id>/events/", events.card_events, name="card_events"),
    path("clients/<int:client_id>/events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event, name="event"),
    path("events/<int:pk>/delete/", events.event_delete, name="event_delete"),
    path("tasks/<int:pk>/move/", planner.task_move, name="task_move"),
    path("plans/fortnight/", planner.fortnight, name="fortnight"),
    path("plans/fortnight/day/", planner.fortnight_day, name="fortnight_day"),
    path("plans/day/", planner.day, name="day"),
    path("planner/day/print/", schedule.day_print, name="day_print"),
    path("settings/parameters/calendar/", feeds.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", feeds.feed, name="feed"),
    path("projects/", projects.planner, name="projects"),
    path("projects/new/", projects.item_new, name="project_theme_new"),
    path("projects/<int:pk>/", projects.item, name="project_item"),
    path("projects/<int:pk>/new/", projects.item_new, name="project_case_new"),
    path("projects/<int:pk>/delete/", projects.item_delete, name="project_item_delete"),
]
