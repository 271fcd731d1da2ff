from django.urls import path

from kontora.directories import views, views_banks

app_name = "directories"

# Pages of particular directories (banks import, nomenclature, …) go above the generic ones: "<slug:key>/"
# would take their first segment for a directory key.
urlpatterns = [
    path("directories/banks/", views_banks.bank_list, name="banks"),
    path("directories/banks/import/", views_banks.bank_import, name="bank_import"),
    path("directories/banks/lookup/", views_banks.bank_lookup, name="bank_lookup"),
    path("directories/<slug:key>/", views.item_list, name="list"),
    path("directories/<slug:key>/pick/", views.pick, name="pick"),
    path("directories/<slug:key>/new/", views.item_new, name="new"),
    path("directories/<slug:key>/<int:pk>/", views.item_edit, name="edit"),
    path("directories/<slug:key>/<int:pk>/delete/", views.item_delete, name="delete"),
    path("directories/<slug:key>/<int:pk>/deactivate/", views.item_deactivate, name="deactivate"),
]
