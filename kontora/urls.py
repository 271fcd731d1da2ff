from django.urls import include, path

from kontora.core import views as core_views

urlpatterns = [
    path("", include("kontora.core.urls")),
    path("", include("kontora.accounts.urls")),
    path("", include("kontora.clients.urls")),
    path("", include("kontora.activity.urls")),
    path("", include("kontora.processes.urls")),
    path("", include("kontora.billing.urls")),
    path("pipeline/", include("kontora.pipeline.urls")),
    path("bulk/", include("kontora.bulk.urls")),
    path("imports/", include("kontora.imports.urls")),
    path("messaging/", include("kontora.messaging.urls")),
    path("targeting/", include("kontora.targeting.urls")),
    path("reports/", include("kontora.reports.urls")),
    path("directories/nomenclature/", include("kontora.directories.nomenclature.urls")),  # before the engine's <key>
    path("administration/attributes/", include("kontora.directories.attributes.urls")),
    path("", include("kontora.directories.urls")),
]

handler404 = core_views.not_found
handler500 = core_views.server_error
handler403 = core_views.forbidden
