"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver, path

from kontora.activity.views import feeds, schedule, tasks

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = [
    path("tasks/<int:pk>/", tasks.task, name="task"),
    path("planner/day/print/", schedule.day_print, name="day_print"),
    path("settings/parameters/calendar/", feeds.calendar_feed, name="calendar_feed"),
    # The feed is reached by its secret token, without a session (phone and desktop calendars subscribe to it).
    path("calendar/<str:token>.ics", feeds.feed, name="feed"),
]
