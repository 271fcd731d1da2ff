from django.urls import path

from kontora.bulk import views

app_name = "bulk"

urlpatterns = [
    path("", views.manager, name="manager"),
    path("preview/", views.preview, name="preview"),
    path("runs/<int:run_id>/", views.run, name="run"),
]
