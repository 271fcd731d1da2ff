from django.urls import path

from kontora.directories.views import banks, items

app_name = "directories"

# Pages of particular directories (banks import, nomenclature, …) go above the generic ones: "<slug:key>/"
# would take their first segment for a directory key.
urlpatterns = [
    path("directories/banks/", banks.bank_list, name="banks"),
    path("directories/banks/import/", banks.bank_import, name="bank_import"),
    path("directories/banks/lookup/", banks.bank_lookup, name="bank_lookup"),
    path("directories/<slug:key>/", items.item_list, name="list"),
    path("directories/<slug:key>/pick/", items.pick, name="pick"),
    path("directories/<slug:key>/new/", items.item_new, name="new"),
    path("directories/<slug:key>/<int:pk>/", items.item_edit, name="edit"),
    path("directories/<slug:key>/<int:pk>/delete/", items.item_delete, name="delete"),
    path("directories/<slug:key>/<int:pk>/deactivate/", items.item_deactivate, name="deactivate"),
]
