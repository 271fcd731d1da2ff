"""The history of changes in legal documents (CLI-06): the journal of the Registration data tab, each change edited
in a modal. The tab's fields and a person's Passport and personal data (CLI-01) are parts of the card's form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.registration import LegalChangeForm
from kontora.clients.models import Client, ClientLegalChange
from kontora.clients.selectors import registration as selectors
from kontora.clients.services import registration as services
from kontora.clients.views.modal import list_changed, modal_form


def _initial(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in names}


# --- registration data ---

def registration_context(user: Any, client: Client | None) -> dict[str, Any]:
    """The pane's journal: the history of changes in legal documents (once the card is saved)."""
    return {"changes": selectors.legal_changes_of(client) if client is not None else []}


def _company(request: HttpRequest, client_id: int) -> Client:
    client = policies.clients.get(request.user, client_id)
    if client.kind != Client.Kind.COMPANY:
        raise Http404
    return client


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
