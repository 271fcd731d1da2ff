from django.urls import path

from kontora.clients.views import admin as admin_views
from kontora.clients.views import card, registry, search
from kontora.clients.views import files as files_views

app_name = "clients"

urlpatterns = [
    path("administration/change-curator/", admin_views.change_curator, name="admin_change_curator"),
    path("administration/why-visible/", admin_views.explain_access, name="admin_explain"),
    path("clients/new/", card.client_new, name="new"),
    path("clients/duplicates/", card.duplicates, name="duplicates"),
    path("clients/<int:client_id>/", card.client_card, name="card"),
    path("clients/<int:client_id>/contacts/new/", card.contact_new, name="contact_new"),
    path("clients/<int:client_id>/contacts/<int:contact_id>/", card.contact_edit, name="contact_edit"),
    path("clients/<int:client_id>/contacts/<int:contact_id>/delete/", card.contact_delete, name="contact_delete"),
    path("clients/<int:client_id>/files/", files_views.files_panel, name="files"),
    path("clients/<int:client_id>/files/upload/", files_views.file_upload, name="file_upload"),
    path("clients/<int:client_id>/files/total/", files_views.files_total, name="files_total"),
    path("clients/<int:client_id>/files/<int:file_id>/", files_views.file_properties, name="file_properties"),
    path("clients/<int:client_id>/files/<int:file_id>/download/", files_views.file_download, name="file_download"),
    path("clients/<int:client_id>/files/<int:file_id>/rename/", files_views.file_rename, name="file_rename"),
    path("clients/<int:client_id>/files/<int:file_id>/move/", files_views.file_move, name="file_move"),
    path("clients/<int:client_id>/files/<int:file_id>/delete/", files_views.file_delete, name="file_delete"),
    path("clients/<int:client_id>/files/folders/new/", files_views.folder_create, name="folder_create"),
    path("clients/<int:client_id>/files/folders/<int:folder_id>/", files_views.folder_properties,
         name="folder_properties"),
    path("clients/<int:client_id>/files/folders/<int:folder_id>/rename/", files_views.folder_rename,
         name="folder_rename"),
    path("clients/<int:client_id>/files/folders/<int:folder_id>/delete/", files_views.folder_delete,
         name="folder_delete"),
    path("clients/<int:client_id>/files/folders/<int:folder_id>/move/", files_views.folder_move,
         name="folder_move"),
    path("clients/registry/rows/", registry.registry_rows, name="registry_rows"),
    path("clients/registry/find/", registry.registry_find, name="registry_find"),
    path("clients/registry/mark/", registry.registry_mark, name="registry_mark"),
    path("clients/search/find/", search.search_find, name="search_find"),
    path("clients/search/jump/", search.search_jump, name="search_jump"),
    path("clients/registry/marks/clear/", registry.registry_marks_clear, name="registry_marks_clear"),
]
