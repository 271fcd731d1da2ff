"""The card's Registration data panel with the history of changes in legal documents (CLI-06), and the
person's Passport and personal data tab (CLI-01): htmx panes with their own Save (forms.registration)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.card import read_only
from kontora.clients.forms.registration import LegalChangeForm, PersonalForm, RegistrationForm
from kontora.clients.models import Client, ClientLegalChange
from kontora.clients.selectors import registration as selectors
from kontora.clients.services import registration as services
from kontora.clients.views.modal import list_changed, modal_form
from kontora.core.forms import KontoraForm


def _initial(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


# --- registration data ---

def _company(request: HttpRequest, client_id: int) -> Client:
    client = policies.clients.get(request.user, client_id)
    if client.kind != Client.Kind.COMPANY:
        raise Http404
    return client


@login_required
@require_http_methods(["GET", "POST"])
def registration_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _company(request, client_id)
    return _row_panel(
        request, client, form_class=RegistrationForm, row=selectors.registration_of(client),
        initial=lambda row: _initial(row, services.REGISTRATION_FIELDS), save=services.registration_save,
        template="clients/partials/tab_registration.html", context={"changes": selectors.legal_changes_of(client)},
    )


def _row_panel(
    request: HttpRequest, client: Client, *, form_class: type[KontoraForm], row: Any,
    initial: Callable[[Any], dict[str, Any]], save: Callable[..., Any], template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """A one-row pane of main data (registration, passport): shown read-only unless the user may change main
    data; its own Save re-renders it with "saved" or with the errors next to the fields."""
    can_edit = policies.registrations.can(request.user, "change", client)
    form = form_class(request.POST or None, initial=initial(row))
    saved = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                row = save(acting_user=user_of(request), client=client, values=form.cleaned_data)
            except ValidationError as exc:
                form.apply_error(exc)
            else:
                saved = True
                form = form_class(initial=initial(row))
    read_only(form, not can_edit)
    return render(request, template, {
        "client": client, "form": form, "can_edit": can_edit, "saved": saved,
        "field_names": ",".join(form[name].html_name for name in form.fields), **(context or {}),
    })


def _editable_company(request: HttpRequest, client_id: int) -> Client:
    client = _company(request, client_id)
    if not policies.legal_changes.can(request.user, "change", client):
        raise PermissionDenied
    return client


@login_required
@require_http_methods(["GET", "POST"])
def legal_change_new(request: HttpRequest, client_id: int) -> HttpResponse:
    return _legal_change(request, _editable_company(request, client_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def legal_change_edit(request: HttpRequest, client_id: int, change_id: int) -> HttpResponse:
    client = _editable_company(request, client_id)
    return _legal_change(request, client, policies.legal_changes.get(request.user, change_id, client=client))


def _legal_change(request: HttpRequest, client: Client, change: ClientLegalChange | None) -> HttpResponse:
    form = LegalChangeForm(request.POST or None,
                           initial=_initial(change, services.LEGAL_CHANGE_FIELDS) if change else None)

    def save() -> object:
        values = form.cleaned_data
        if change is None:
            return services.legal_change_create(acting_user=user_of(request), client=client, values=values)
        return services.legal_change_update(acting_user=user_of(request), change=change, values=values)

    return modal_form(
        request, client, change, form=form, save=save, changed=lambda: _changes_changed(request, client),
        url_names=("clients:legal_change_new", "clients:legal_change_edit"), item_name="change",
        template="clients/partials/tab_registration_change_form.html",
    )


@login_required
@require_POST
def legal_change_delete(request: HttpRequest, client_id: int, change_id: int) -> HttpResponse:
    client = _editable_company(request, client_id)
    change = policies.legal_changes.get(request.user, change_id, client=client)
    services.legal_change_delete(acting_user=user_of(request), change=change)
    return _changes_changed(request, client)


def _changes_changed(request: HttpRequest, client: Client) -> HttpResponse:
    return list_changed(request, client, tab="registration", target="#client-legal-changes",
                        template="clients/partials/tab_registration_changes.html", context={
                            "client": client, "changes": selectors.legal_changes_of(client), "can_edit": True})


# --- a person's passport and personal data ---

@login_required
@require_http_methods(["GET", "POST"])
def personal_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = policies.clients.get(request.user, client_id)
    if client.kind != Client.Kind.PERSON:
        raise Http404
    return _row_panel(
        request, client, form_class=PersonalForm, row=selectors.personal_of(client), initial=_personal_initial,
        save=services.personal_save, template="clients/partials/tab_personal.html",
    )


def _personal_initial(row: Any) -> dict[str, Any]:
    initial = _initial(row, services.PERSONAL_FIELDS)
    initial["snils"] = selectors.snils_shown(initial["snils"])
    return initial
