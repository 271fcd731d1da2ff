"""Settings → Parameters (ACC-07): one user's own settings, on the tabs of the manual's "Parameters" window;
Settings → Functionality (ORG-05): blocks of the program the administrator switches off, and login options."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kontora.core import hooks
from kontora.core.errors import form_error
from kontora.core.forms.settings import (
    BLOCK_FIELDS,
    CLOCK_FIELDS,
    GROUP_FIELDS,
    LOGIN_FIELDS,
    NETWORK_FIELDS,
    PARAMETERS_TABS,
    FunctionalityForm,
    ParametersForm,
)
from kontora.core.permissions import actor_of, admin_required
from kontora.core.selectors import settings as selectors
from kontora.core.services import settings as services
from kontora.core.ui.submit import leaving_for


def _save_own_parameters(user: Any, form: ParametersForm) -> None:
    services.user_parameters_update(acting_user=user, **form.cleaned_data)


@login_required
@require_http_methods(["GET", "POST"])
def parameters(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = selectors.user_parameters(user)
    initial = {
        "language": user.language,
        "informer_at_start": params.informer_at_start,
        "show_tasks_at_login": params.show_tasks_at_login,
        "report_overdue_at_login": params.report_overdue_at_login,
        "time_zone": params.time_zone,
    }
    form = ParametersForm(request.POST or None, initial=initial)
    extras = [(tab, tab.form_factory(user, request.POST or None)) for tab in hooks.PARAMETERS_TABS.items()]
    all_valid = form.is_valid() & all([extra.is_valid() for _tab, extra in extras])
    if request.method == "POST" and all_valid:
        try:
            # All tabs are saved or none: one OK must not leave half of the window saved.
            services.parameters_save(
                acting_user=user, parts=[(form, _save_own_parameters), *((extra, tab.save) for tab, extra in extras)]
            )
        except ValidationError:
            pass  # the error is on the form of its tab
        else:
            # The new language applies at once, starting with this confirmation.
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language  # type: ignore[attr-defined]
            messages.success(request, _("Parameters saved."))
            if "apply" in request.POST:
                return redirect(f"{request.path}?tab={request.POST.get('tab', 'general')}")
            return redirect(leaving_for(request) or "core:home")
    active = request.POST.get("tab") or request.GET.get("tab") or "general"
    tabs: list[dict[str, Any]] = [
        {"key": key, "label": label, "fields": [form[name] for name in names],
         "has_errors": any(form[name].errors for name in names)}
        for key, label, names in PARAMETERS_TABS
    ]
    tabs += [
        {"key": tab.key, "label": tab.label, "template": tab.template, "form": extra, "has_errors": bool(extra.errors)}
        for tab, extra in extras
    ]
    if any(tab["has_errors"] for tab in tabs):
        active = next((str(tab["key"]) for tab in tabs if tab["has_errors"]), active)
    if active not in {tab["key"] for tab in tabs}:
        active = "general"
    return render(request, "core/parameters.html", {"form": form, "tabs": tabs, "active_tab": active})


@admin_required
@require_http_methods(["GET", "POST"])
def functionality(request: HttpRequest) -> HttpResponse:
    form = FunctionalityForm(request.POST or None, instance=selectors.system_settings())
    if request.method == "POST" and form.is_valid():
        try:
            services.system_settings_update(
                acting_user=actor_of(request), **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
        except ValidationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Functionality settings saved."))
            return redirect("core:functionality" if "apply" in request.POST else leaving_for(request) or "core:home")
    context = {
        "form": form,
        "block_fields": [form[name] for name in BLOCK_FIELDS],
        "login_fields": [form[name] for name in LOGIN_FIELDS],
        "network_fields": [form[name] for name in NETWORK_FIELDS],
        "clock_fields": [form[name] for name in CLOCK_FIELDS],
        "group_fields": [form[name] for name in GROUP_FIELDS],
    }
    return render(request, "core/functionality.html", context)
