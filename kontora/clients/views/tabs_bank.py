"""The card's Bank tab (CLI-07): the list of the client's bank accounts; an account is edited in a modal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.clients import access
from kontora.clients.models import Client, ClientBankAccount
from kontora.clients.tabs import bank
from kontora.clients.views.modal import list_changed
from kontora.core.errors import DomainError
from kontora.core.forms import KontoraForm


class BankAccountForm(KontoraForm):
    prefix = "bank"  # the modal opens over the card's form: its ids must not clash (id_notes)
    # Numbers are free text: people paste them with spaces; the service keeps the digits and checks the keys.
    # Named as core's bank form, whose fields partial (with the BIK autofill) the modal includes.
    bank_name = forms.CharField(label=_("Bank"), max_length=300, required=False)
    bik = forms.CharField(label=_("BIK"), max_length=20,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    corr_account = forms.CharField(label=_("Correspondent account"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    account = forms.CharField(label=_("Settlement account"), max_length=30,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    is_main = forms.BooleanField(label=_("Main account"), required=False)
    notes = forms.CharField(label=_("Notes"), max_length=300, required=False)

    @staticmethod
    def initial_for(account: ClientBankAccount) -> dict[str, Any]:
        initial = {name: getattr(account, name) for name in bank.BANK_ACCOUNT_FIELDS}
        initial["corr_account"] = initial.pop("correspondent_account")
        return initial

    def values(self) -> dict[str, Any]:
        values = dict(self.cleaned_data)
        values["correspondent_account"] = values.pop("corr_account")
        return values

    def apply_error(self, exc: ValidationError | DomainError) -> None:
        if isinstance(exc, ValidationError) and "correspondent_account" in getattr(exc, "error_dict", {}):
            errors = dict(exc.error_dict)
            errors["corr_account"] = errors.pop("correspondent_account")
            exc = ValidationError(errors)
        super().apply_error(exc)


def _panel_context(request: HttpRequest, client: Client) -> dict[str, Any]:
    return {"client": client, "accounts": bank.bank_accounts_of(client),
            "can_edit": access.can_edit_main_data(request.user, client)}


@login_required
@require_GET
def bank_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    client = access.access_client(request.user, client_id)
    return render(request, "clients/partials/tab_bank.html", _panel_context(request, client))


def _editable(request: HttpRequest, client_id: int) -> Client:
    client = access.access_client(request.user, client_id)
    if not access.can_edit_main_data(request.user, client):
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
    return _account(request, client, bank.access_bank_account(client, account_id))


def _account(request: HttpRequest, client: Client, account: ClientBankAccount | None) -> HttpResponse:
    form = BankAccountForm(request.POST or None, initial=BankAccountForm.initial_for(account) if account else None)
    if request.method == "POST" and form.is_valid():
        try:
            if account is None:
                bank.bank_account_create(acting_user=request.user, client=client, values=form.values())
            else:
                bank.bank_account_update(acting_user=request.user, account=account, values=form.values())
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _accounts_changed(request, client)
    action = reverse("clients:bank_account_edit", args=[client.pk, account.pk]) if account \
        else reverse("clients:bank_account_new", args=[client.pk])
    return render(request, "clients/partials/tab_bank_form.html", {
        "form": form, "client": client, "account": account, "action": action,
    })


@login_required
@require_POST
def bank_account_delete(request: HttpRequest, client_id: int, account_id: int) -> HttpResponse:
    client = _editable(request, client_id)
    bank.bank_account_delete(acting_user=request.user, account=bank.access_bank_account(client, account_id))
    return _accounts_changed(request, client)


def _accounts_changed(request: HttpRequest, client: Client) -> HttpResponse:
    return list_changed(request, client, tab="bank", target="#client-bank", template="clients/partials/tab_bank.html",
                        context=_panel_context(request, client))
