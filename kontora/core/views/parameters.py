"""Settings → Parameters (ACC-07): one user's own settings, on the tabs of the manual's "Parameters" window."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kontora.core import hooks
from kontora.core import selectors as core_selectors
from kontora.core.forms import KontoraForm
from kontora.core.services import settings as settings_services


def _language_choices() -> list[tuple[str, str]]:
    # Each language is named in itself, so a person who chose the wrong one can still find theirs.
    return [(code, translation.get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class ParametersForm(KontoraForm):
    language = forms.ChoiceField(label=gettext_lazy("Interface language"), choices=_language_choices)
    informer_at_start = forms.BooleanField(label=gettext_lazy("Show the informer at start"), required=False)
    show_tasks_at_login = forms.BooleanField(
        label=gettext_lazy("Show the task journal at system start"), required=False,
        help_text=gettext_lazy("The journal opens after sign-in when you have active tasks."),
    )
    report_overdue_at_login = forms.BooleanField(
        label=gettext_lazy("Report overdue tasks"), required=False,
        help_text=gettext_lazy("After sign-in a report lists your overdue tasks, if there are any."),
    )


TABS = [
    ("general", gettext_lazy("Common"), ["language"]),
    ("informer", gettext_lazy("Informer"), ["informer_at_start"]),
    ("login", gettext_lazy("Sign-in"), ["show_tasks_at_login", "report_overdue_at_login"]),
]


@login_required
@require_http_methods(["GET", "POST"])
def parameters(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    params = core_selectors.user_parameters(user)
    initial = {
        "language": user.language,
        "informer_at_start": params.informer_at_start,
        "show_tasks_at_login": params.show_tasks_at_login,
        "report_overdue_at_login": params.report_overdue_at_login,
    }
    form = ParametersForm(request.POST or None, initial=initial)
    extras = [(tab, tab.form_factory(user, request.POST or None)) for tab in hooks.PARAMETERS_TABS.items()]
    all_valid = form.is_valid() & all([extra.is_valid() for _tab, extra in extras])
    if request.method == "POST" and all_valid:
        data = form.cleaned_data
        target: Any = form
        try:
            # All tabs are saved or none: one OK must not leave half of the window saved.
            with transaction.atomic():
                settings_services.user_parameters_update(
                    acting_user=user,
                    language=data["language"],
                    informer_at_start=data["informer_at_start"],
                    show_tasks_at_login=data["show_tasks_at_login"],
                    report_overdue_at_login=data["report_overdue_at_login"],
                )
                for tab, extra in extras:
                    target = extra
                    tab.save(user, extra)
        except ValidationError as exc:
            target.apply_error(exc)
        else:
            # The new language applies at once, starting with this confirmation.
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language  # type: ignore[attr-defined]
            messages.success(request, _("Parameters saved."))
            if "apply" in request.POST:
                return redirect(f"{request.path}?tab={request.POST.get('tab', 'general')}")
            return redirect("core:home")
    active = request.POST.get("tab") or request.GET.get("tab") or "general"
    tabs: list[dict[str, Any]] = [
        {"key": key, "label": label, "fields": [form[name] for name in names],
         "has_errors": any(form[name].errors for name in names)}
        for key, label, names in TABS
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
