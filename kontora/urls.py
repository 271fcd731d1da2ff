from django.urls import include, path

from kontora.core import views as core_views

urlpatterns = [
    path("", include("kontora.core.urls")),
    path("", include("kontora.accounts.urls")),
]

handler404 = core_views.not_found
handler500 = core_views.server_error
handler403 = core_views.forbidden
