"""Settings → Functionality (ORG-05): blocks of the program the administrator switches off, and login options."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kontora.core import selectors as core_selectors
from kontora.core.forms import KontoraModelForm
from kontora.core.models import SystemSettings
from kontora.core.permissions import admin_required
from kontora.core.services import settings as settings_services

BLOCK_FIELDS = [
    "sales_enabled", "works_enabled", "warehouse_enabled", "cash_enabled",
    "security_tab_enabled", "shipping_tab_enabled",
]
LOGIN_FIELDS = ["login_user_list"]


class FunctionalityForm(KontoraModelForm):
    class Meta:
        model = SystemSettings
        fields = [*BLOCK_FIELDS, *LOGIN_FIELDS]


@admin_required
@require_http_methods(["GET", "POST"])
def functionality(request: HttpRequest) -> HttpResponse:
    system = core_selectors.system_settings()
    form = FunctionalityForm(request.POST or None, instance=system)
    if request.method == "POST" and form.is_valid():
        # The form only validates; the service is the one place that writes the settings row.
        settings_services.system_settings_update(
            acting_user=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Functionality settings saved."))
        return redirect("core:functionality" if "apply" in request.POST else "core:home")
    context = {
        "form": form,
        "block_fields": [form[name] for name in BLOCK_FIELDS],
        "login_fields": [form[name] for name in LOGIN_FIELDS],
    }
    return render(request, "core/functionality.html", context)
