from django.urls import path

from kontora.bulk import views

app_name = "bulk"

urlpatterns = [
    path("", views.manager, name="manager"),
    path("runs/<int:run_id>/", views.run, name="run"),
]
