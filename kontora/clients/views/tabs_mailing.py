"""The card's "Mailing E-Mail & SMS" tab (CLI-09): an htmx pane; every change re-renders it.

The pane lives inside the card's main form, so its inputs are detached from it (`form=` an id no form has)
and its forms carry prefixes: the card's own fields, which htmx also sends, never mix with the tab's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.clients import access
from kontora.clients.models import Client, ClientMailing, ClientMailingAddress
from kontora.clients.tabs import mailing
from kontora.core.forms.base import KontoraForm

DETACHED = "k-mailing-detached"


def _label(model: type[Any], name: str) -> Any:
    return capfirst(model._meta.get_field(name).verbose_name)


class _DetachedForm(KontoraForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = DETACHED
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def read_only(self) -> _DetachedForm:
        for field in self.fields.values():
            field.disabled = True
        return self


class MailingSettingsForm(_DetachedForm):
    exclude_email = forms.BooleanField(required=False, label=_label(ClientMailing, "exclude_email"))
    exclude_sms = forms.BooleanField(required=False, label=_label(ClientMailing, "exclude_sms"))


class MailingAddressForm(_DetachedForm):
    kind = forms.ChoiceField(choices=ClientMailingAddress.Kind.choices, label=_label(ClientMailingAddress, "kind"))
    value = forms.CharField(max_length=254, required=False, label=_label(ClientMailingAddress, "value"))
    owner_name = forms.CharField(max_length=300, required=False, label=_label(ClientMailingAddress, "owner_name"))
    subscribed = forms.BooleanField(required=False, initial=True, label=_label(ClientMailingAddress, "subscribed"))

    @staticmethod
    def initial_for(address: ClientMailingAddress) -> dict[str, Any]:
        return {name: getattr(address, name) for name in mailing.ADDRESS_FIELDS}


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    client = access.access_client(request.user, client_id)
    if edit and not access.can_edit(request.user, client):
        raise PermissionDenied
    return client


def _panel(
    request: HttpRequest, client: Client, *, settings_form: MailingSettingsForm | None = None,
    add_form: MailingAddressForm | None = None, editing: ClientMailingAddress | None = None,
    edit_form: MailingAddressForm | None = None, message: str = "",
) -> HttpResponse:
    current = mailing.mailing_settings(client)
    if settings_form is None:
        settings_form = MailingSettingsForm(
            prefix="ms", initial={name: getattr(current, name) for name in mailing.SETTINGS_FIELDS})
    if editing is not None and edit_form is None:
        edit_form = MailingAddressForm(prefix="me", initial=MailingAddressForm.initial_for(editing))
    can_edit = access.can_edit(request.user, client)
    if not can_edit:
        settings_form.read_only()
    context = {
        "client": client, "can_edit": can_edit, "settings": current,
        "settings_form": settings_form, "add_form": add_form or MailingAddressForm(prefix="ma"),
        "addresses": mailing.mailing_addresses(client), "editing": editing, "edit_form": edit_form,
        "detached": DETACHED, "message": message,
    }
    # Errors come back with 200: htmx swaps only successful answers, and they belong next to the field.
    return render(request, "clients/partials/tab_mailing.html", context)


@login_required
@require_GET
def mailing_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    return _panel(request, _client(request, client_id))


@login_required
@require_POST
def mailing_settings_save(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    form = MailingSettingsForm(request.POST, prefix="ms")
    if not form.is_valid():
        return _panel(request, client, settings_form=form)
    mailing.mailing_settings_update(acting_user=request.user, client=client, **form.cleaned_data)
    return _panel(request, client, message=gettext("Mailing settings saved."))


@login_required
@require_POST
def mailing_address_new(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    form = MailingAddressForm(request.POST, prefix="ma")
    if form.is_valid():
        try:
            mailing.mailing_address_create(acting_user=request.user, client=client, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client)
    return _panel(request, client, add_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def mailing_address_edit(request: HttpRequest, client_id: int, address_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    address = get_object_or_404(ClientMailingAddress, pk=address_id, client=client)
    if request.method == "GET":
        return _panel(request, client, editing=address)
    form = MailingAddressForm(request.POST, prefix="me")
    if form.is_valid():
        try:
            mailing.mailing_address_update(acting_user=request.user, address=address, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client)
    address.refresh_from_db()
    return _panel(request, client, editing=address, edit_form=form)


@login_required
@require_POST
def mailing_address_delete(request: HttpRequest, client_id: int, address_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    mailing.mailing_address_delete(
        acting_user=request.user, address=get_object_or_404(ClientMailingAddress, pk=address_id, client=client),
    )
    return _panel(request, client)


@login_required
@require_POST
def mailing_fill(request: HttpRequest, client_id: int) -> HttpResponse:
    """"Take from the card": the card's e-mail and the contacts' e-mails and mobiles not yet listed."""
    client = _client(request, client_id, edit=True)
    added = mailing.mailing_fill_from_card(acting_user=request.user, client=client)
    message = ngettext("%(count)d address added from the card.", "%(count)d addresses added from the card.",
                       len(added)) % {"count": len(added)} if added \
        else gettext("The card has no addresses that are not in the list yet.")
    return _panel(request, client, message=message)
