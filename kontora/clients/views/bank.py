"""The card's Bank tab (CLI-07): the list of the client's bank accounts; an account is edited in a modal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.bank import BankAccountForm
from kontora.clients.models import Client, ClientBankAccount
from kontora.clients.selectors import bank as selectors
from kontora.clients.services import bank as services
from kontora.clients.views.modal import list_changed, modal_form


def _panel_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    return {"client": client, "accounts": selectors.bank_accounts_of(client),
            "can_edit": policies.bank_accounts.can(request.user, "change", client)}


@login_required
@require_GET
def bank_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = policies.clients.get(request.user, client_id)
    # Drawn without the request, as every pane of the card: a fragment needs none of the page's context.
    return HttpResponse(render_to_string("clients/partials/tab_bank.html", _panel_context(request, client)))


def _editable(request: HttpRequest, client_id: int) -> Client:
    client = policies.clients.get(request.user, client_id)
    if not policies.bank_accounts.can(request.user, "change", client):
        raise PermissionDenied
    return client


@login_required
@require_http_methods(["GET", "POST"])
def bank_account_new(request: HttpRequest, client_id: int) -> HttpResponse:
    return _account(request, _editable(request, client_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def bank_account_edit(request: HttpRequest, client_id: int, account_id: int) -> HttpResponse:
    client = _editable(request, client_id)
    return _account(request, client, policies.bank_accounts.get(request.user, account_id, client=client))


def _account(request: HttpRequest, client: Client, account: ClientBankAccount | None) -> HttpResponse:
    form = BankAccountForm(request.POST or None, initial=BankAccountForm.initial_for(account) if account else None)

    def save() -> object:
        if account is None:
            return services.bank_account_create(acting_user=user_of(request), client=client, values=form.values())
        return services.bank_account_update(acting_user=user_of(request), account=account, edit=form.edit(),
                                            values=form.values(form.changed_data))

    return modal_form(
        request, client, account, form=form, save=save, changed=lambda: _accounts_changed(request, client),
        url_names=("clients:bank_account_new", "clients:bank_account_edit"), item_name="account",
        template="clients/partials/tab_bank_form.html",
    )


@login_required
@require_POST
def bank_account_delete(request: HttpRequest, client_id: int, account_id: int) -> HttpResponse:
    client = _editable(request, client_id)
    account = policies.bank_accounts.get(request.user, account_id, client=client)
    services.bank_account_delete(acting_user=user_of(request), account=account)
    return _accounts_changed(request, client)


def _accounts_changed(request: HttpRequest, client: Client) -> HttpResponse:
    return list_changed(request, client, tab="bank", target="#client-bank", template="clients/partials/tab_bank.html",
                        context=_panel_context(request, client))
