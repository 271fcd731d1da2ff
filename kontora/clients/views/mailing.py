"""The card's "Mailing E-Mail & SMS" tab (CLI-09): an htmx pane; every change re-renders it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.mailing import DETACHED, MailingAddressForm, MailingSettingsForm
from kontora.clients.models import Client, ClientMailingAddress
from kontora.clients.selectors import mailing as selectors
from kontora.clients.services import mailing as services


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    client = policies.clients.get(request.user, client_id)
    if edit and not policies.mailing_addresses.can(request.user, "change", client):
        raise PermissionDenied
    return client


def _panel(
    request: HttpRequest, client: Client, *, settings_form: MailingSettingsForm | None = None,
    add_form: MailingAddressForm | None = None, editing: ClientMailingAddress | None = None,
    edit_form: MailingAddressForm | None = None, message: str = "",
) -> HttpResponse:
    current = selectors.mailing_settings(client)
    if settings_form is None:
        settings_form = MailingSettingsForm(
            prefix="ms", initial={name: getattr(current, name) for name in services.SETTINGS_FIELDS})
    if editing is not None and edit_form is None:
        edit_form = MailingAddressForm(prefix="me", initial=MailingAddressForm.initial_for(editing))
    can_edit = policies.mailing_addresses.can(request.user, "change", client)
    if not can_edit:
        settings_form.read_only()
    context = {
        "client": client, "can_edit": can_edit, "settings": current,
        "settings_form": settings_form, "add_form": add_form or MailingAddressForm(prefix="ma"),
        "addresses": selectors.mailing_addresses(client), "editing": editing, "edit_form": edit_form,
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
    services.mailing_settings_update(acting_user=user_of(request), client=client, **form.cleaned_data)
    return _panel(request, client, message=gettext("Mailing settings saved."))


@login_required
@require_POST
def mailing_address_new(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    form = MailingAddressForm(request.POST, prefix="ma")
    if form.is_valid():
        try:
            services.mailing_address_create(acting_user=user_of(request), client=client, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client)
    return _panel(request, client, add_form=form)


@login_required
@require_http_methods(["GET", "POST"])
def mailing_address_edit(request: HttpRequest, client_id: int, address_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    address = policies.mailing_addresses.get(request.user, address_id, client=client)
    if request.method == "GET":
        return _panel(request, client, editing=address)
    form = MailingAddressForm(request.POST, prefix="me")
    if form.is_valid():
        try:
            services.mailing_address_update(acting_user=user_of(request), address=address, values=form.cleaned_data)
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
    services.mailing_address_delete(
        acting_user=user_of(request), address=policies.mailing_addresses.get(request.user, address_id, client=client),
    )
    return _panel(request, client)


@login_required
@require_POST
def mailing_fill(request: HttpRequest, client_id: int) -> HttpResponse:
    """"Take from the card": the card's e-mail and the contacts' e-mails and mobiles not yet listed."""
    client = _client(request, client_id, edit=True)
    added = services.mailing_fill_from_card(acting_user=user_of(request), client=client)
    message = ngettext("%(count)d address added from the card.", "%(count)d addresses added from the card.",
                       len(added)) % {"count": len(added)} if added \
        else gettext("The card has no addresses that are not in the list yet.")
    return _panel(request, client, message=message)
