"""The card's "Shipping requisites" tab (CLI-11).

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
The pane sits inside the card's main form: its inputs are detached from it and its form prefixed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kontora.accounts.policies import user_of
from kontora.clients import policies
from kontora.clients.forms.shipping import PREFIX, ShippingForm
from kontora.clients.models import Client
from kontora.clients.selectors import shipping as selectors
from kontora.clients.services import shipping as services
from kontora.core.selectors.settings import system_settings


def tab_enabled() -> bool:
    return bool(system_settings().shipping_tab_enabled)


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    if not tab_enabled():
        raise Http404
    client = policies.clients.get(request.user, client_id)
    if edit and not policies.shippings.can(request.user, "change", client):
        raise PermissionDenied
    return client


def _panel(request: HttpRequest, client: Client, form: ShippingForm | None = None, message: str = "") -> HttpResponse:
    can_edit = policies.shippings.can(request.user, "change", client)
    if form is None:
        row = selectors.shipping_of(client)
        form = ShippingForm(prefix=PREFIX, initial={name: getattr(row, name) for name in services.FIELDS})
    if not can_edit:
        form.read_only()
    context = {"client": client, "form": form, "can_edit": can_edit, "message": message}
    # Errors come back with 200: htmx swaps only successful answers, and they belong next to the field.
    return render(request, "clients/partials/tab_shipping.html", context)


@login_required
@require_GET
def shipping_panel(request: HttpRequest, client_id: int) -> HttpResponse:
    return _panel(request, _client(request, client_id))


@login_required
@require_POST
def shipping_save(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id, edit=True)
    form = ShippingForm(request.POST, prefix=PREFIX)
    if form.is_valid():
        try:
            services.shipping_update(acting_user=user_of(request), client=client, values=form.cleaned_data)
        except ValidationError as exc:
            form.apply_error(exc)
        else:
            return _panel(request, client, message=gettext("Shipping requisites saved."))
    return _panel(request, client, form)


@login_required
@require_POST
def shipping_from_card(request: HttpRequest, client_id: int) -> HttpResponse:
    """"Consignee = this client": fills the consignee fields from the card; saved only with "Save"."""
    client = _client(request, client_id, edit=True)
    typed = {name: request.POST.get(f"{PREFIX}-{name}", "") for name in services.FIELDS}
    form = ShippingForm(prefix=PREFIX, initial={**typed, **selectors.consignee_from_card(client)})
    return _panel(request, client, form, message=gettext(
        "The consignee is filled in from the card. Press “Save” to keep it."))
