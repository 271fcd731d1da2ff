from django.urls import path

from kontora.core.views import home

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
]
