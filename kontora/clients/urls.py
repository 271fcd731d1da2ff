from django.urls import path

from kontora.clients.views import admin as admin_views
from kontora.clients.views import card, registry

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
    path("clients/registry/rows/", registry.registry_rows, name="registry_rows"),
    path("clients/registry/find/", registry.registry_find, name="registry_find"),
    path("clients/registry/mark/", registry.registry_mark, name="registry_mark"),
    path("clients/registry/marks/clear/", registry.registry_marks_clear, name="registry_marks_clear"),
]
