from django.urls import path

from kontora.directories.nomenclature import views

app_name = "nomenclature"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("items/", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/move/", views.items_move, name="items_move"),
    path("items/<int:item_id>/", views.item_card, name="item"),
    path("folders/new/", views.folder_new, name="folder_new"),
    path("folders/<int:folder_id>/children/", views.children, name="children"),
    path("folders/<int:folder_id>/edit/", views.folder_edit, name="folder_edit"),
    path("folders/<int:folder_id>/move/", views.folder_move, name="folder_move"),
    path("folders/<int:folder_id>/delete/", views.folder_delete, name="folder_delete"),
]
