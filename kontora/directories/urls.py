from django.urls import include, path

from kontora.directories.views import banks, items, settlements

app_name = "directories"

# Pages of particular directories (banks import, nomenclature, …) go above the generic ones: "<slug:key>/"
# would take their first segment for a directory key.
urlpatterns = [
    path("directories/banks/", include([
        path("", banks.bank_list, name="banks"),
        path("import/", banks.bank_import, name="bank_import"),
        path("lookup/", banks.bank_lookup, name="bank_lookup"),
    ])),
    path("directories/settlements/import/", settlements.settlements_import, name="settlements_import"),
    path("directories/<slug:key>/", include([
        path("", items.item_list, name="list"),
        path("pick/", items.pick, name="pick"),
        path("new/", items.item_new, name="new"),
        path("<int:pk>/", items.item_edit, name="edit"),
        path("<int:pk>/delete/", items.item_delete, name="delete"),
        path("<int:pk>/deactivate/", items.item_deactivate, name="deactivate"),
    ])),
]
