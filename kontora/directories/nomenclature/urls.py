from django.urls import include, path

from kontora.directories.nomenclature import views

app_name = "nomenclature"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("items/", include([
        path("", views.items, name="items"),
        path("new/", views.item_new, name="item_new"),
        path("move/", views.items_move, name="items_move"),
        path("<int:item_id>/", views.item_card, name="item"),
    ])),
    path("folders/new/", views.folder_new, name="folder_new"),
    path("folders/<int:folder_id>/", include([
        path("children/", views.children, name="children"),
        path("edit/", views.folder_edit, name="folder_edit"),
        path("move/", views.folder_move, name="folder_move"),
        path("delete/", views.folder_delete, name="folder_delete"),
    ])),
]
