"""Activity's pages: the card's History and Tasks journals, the task journal, the planners, the calendar feed."""

from django.urls import URLPattern, URLResolver

app_name = "activity"
urlpatterns: list[URLPattern | URLResolver] = []
