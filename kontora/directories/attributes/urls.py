from django.urls import include, path

from kontora.directories.attributes import views

app_name = "attributes"

urlpatterns = [
    path("", views.attribute_list, name="list"),
    path("new/", views.attribute_new, name="new"),
    path("<int:attribute_id>/", include([
        path("", views.attribute_edit, name="edit"),
        path("delete/", views.attribute_delete, name="delete"),
        path("values/new/", views.option_new, name="option_new"),
        path("values/<int:option_id>/", views.option_edit, name="option_edit"),
        path("values/<int:option_id>/delete/", views.option_delete, name="option_delete"),
    ])),
]
