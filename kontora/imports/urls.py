from django.urls import path

from kontora.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("<int:import_id>/", views.import_detail, name="detail"),
    path("<int:import_id>/reload/", views.import_reload, name="reload"),
    path("<int:import_id>/rows/<int:number>/", views.import_row, name="row"),
    path("<int:import_id>/check/", views.import_check, name="check"),
    path("<int:import_id>/start/", views.import_start, name="start"),
    path("<int:import_id>/cancel/", views.import_cancel, name="cancel"),
    path("<int:import_id>/undo/", views.import_undo, name="undo"),
    path("<int:import_id>/delete/", views.import_delete, name="delete"),
    path("<int:import_id>/errors.csv", views.import_errors, name="errors"),
]
