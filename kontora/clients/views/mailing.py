"""The card's "Mailing E-Mail & SMS" tab (CLI-09): the exclusion switches are a part of the card's form (saved by
its OK / Apply); the list of addresses is a journal in the same pane, each address added or edited in a modal."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.mailing import MailingAddressForm
from kontora.clients.models import Client, ClientMailingAddress
from kontora.clients.selectors import mailing as selectors
from kontora.clients.services import mailing as services
from kontora.clients.views.modal import list_changed, modal_form

TARGET = "#client-mailing-addresses"


def mailing_context(user: Any, client: Client | None) -> dict[str, Any]:
    """The pane's journal: the client's addresses."""
    return {"addresses": selectors.mailing_addresses(client) if client is not None else []}


def _client(request: HttpRequest, client_id: int) -> Client:
    client = policies.clients.get(request.user, client_id)
    if not policies.mailing_addresses.can(request.user, "change", client):
        raise PermissionDenied
    return client


def _addresses_changed(request: HttpRequest, client: Client, message: str = "") -> HttpResponse:
    return list_changed(request, client, tab="mailing", target=TARGET,
                        template="clients/partials/tab_mailing_addresses.html", context={
                            "client": client, "can_edit": True, "message": message,
                            **mailing_context(user_of(request), client)})


@login_required
@require_http_methods(["GET", "POST"])
def mailing_address_new(request: HttpRequest, client_id: int) -> HttpResponse:
    return _address(request, _client(request, client_id), None)


@login_required
@require_http_methods(["GET", "POST"])
def mailing_address_edit(request: HttpRequest, client_id: int, address_id: int) -> HttpResponse:
    client = _client(request, client_id)
    return _address(request, client, policies.mailing_addresses.get(request.user, address_id, client=client))


def _address(request: HttpRequest, client: Client, address: ClientMailingAddress | None) -> HttpResponse:
    form = MailingAddressForm(request.POST or None, prefix="me" if address else "ma",
                              initial=MailingAddressForm.initial_for(address) if address else None)

    def save() -> object:
        if address is None:
            return services.mailing_address_create(acting_user=user_of(request), client=client,
                                                   values=form.cleaned_data)
        return services.mailing_address_update(acting_user=user_of(request), address=address, edit=form.edit(),
                                               values={name: form.cleaned_data[name] for name in form.changed_data})

    return modal_form(
        request, client, address, form=form, save=save, changed=lambda: _addresses_changed(request, client),
        url_names=("clients:mailing_address_new", "clients:mailing_address_edit"), item_name="address",
        template="clients/partials/tab_mailing_form.html",
    )


@login_required
@require_POST
def mailing_address_delete(request: HttpRequest, client_id: int, address_id: int) -> HttpResponse:
    client = _client(request, client_id)
    services.mailing_address_delete(
        acting_user=user_of(request), address=policies.mailing_addresses.get(request.user, address_id, client=client),
    )
    return _addresses_changed(request, client)


@login_required
@require_POST
def mailing_fill(request: HttpRequest, client_id: int) -> HttpResponse:
    """"Take from the card": the card's e-mail and the contacts' e-mails and mobiles not yet listed."""
    client = _client(request, client_id)
    added = services.mailing_fill_from_card(acting_user=user_of(request), client=client)
    message = ngettext("%(count)d address added from the card.", "%(count)d addresses added from the card.",
                       len(added)) % {"count": len(added)} if added \
        else gettext("The card has no addresses that are not in the list yet.")
    return _addresses_changed(request, client, message)
