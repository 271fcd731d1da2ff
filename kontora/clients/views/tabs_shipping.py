"""The card's "Shipping requisites" tab (CLI-11).

Shown only when Settings → Functionality keeps the tab on; when it is off every URL here answers 404.
The pane sits inside the card's main form: its inputs are detached from it and its form prefixed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from kontora.clients import access
from kontora.clients.models import Client, ClientShipping
from kontora.clients.tabs import shipping
from kontora.core.forms.base import KontoraForm
from kontora.core.selectors.settings import system_settings

DETACHED = "k-shipping-detached"
PREFIX = "sh"


def tab_enabled() -> bool:
    return bool(system_settings().shipping_tab_enabled)


def _field(name: str, *, text: bool = False) -> forms.CharField:
    model_field = ClientShipping._meta.get_field(name)
    label = capfirst(model_field.verbose_name)  # type: ignore[union-attr]
    if text:
        return forms.CharField(required=False, label=label, widget=forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(required=False, label=label, max_length=model_field.max_length)  # type: ignore[union-attr]


class ShippingForm(KontoraForm):
    consignee = _field("consignee")
    consignee_inn = _field("consignee_inn")
    consignee_kpp = _field("consignee_kpp")
    consignee_address = _field("consignee_address")
    delivery_address = _field("delivery_address")
    shipment_terms = _field("shipment_terms", text=True)
    products = _field("products", text=True)
    carrier = _field("carrier")
    transport = _field("transport", text=True)
    receiver_contact = _field("receiver_contact")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["form"] = DETACHED
        # People paste INN/KPP with spaces; the service normalises them, so the length check must not refuse.
        for name in ("consignee_inn", "consignee_kpp"):
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = None
            field.validators = []
            field.widget.attrs.pop("maxlength", None)


def _client(request: HttpRequest, client_id: int, *, edit: bool = False) -> Client:
    if not tab_enabled():
        raise Http404
    client = access.access_client(request.user, client_id)
    if edit and not access.can_edit(request.user, client):
        raise PermissionDenied
    return client


def _panel(request: HttpRequest, client: Client, form: ShippingForm | None = None, message: str = "") -> HttpResponse:
    can_edit = access.can_edit(request.user, client)
    if form is None:
        row = shipping.shipping_of(client)
        form = ShippingForm(prefix=PREFIX, initial={name: getattr(row, name) for name in shipping.FIELDS})
    if not can_edit:
        for field in form.fields.values():
            field.disabled = True
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
            shipping.shipping_update(acting_user=request.user, client=client, values=form.cleaned_data)
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
    typed = {name: request.POST.get(f"{PREFIX}-{name}", "") for name in shipping.FIELDS}
    form = ShippingForm(prefix=PREFIX, initial={**typed, **shipping.consignee_from_card(client)})
    return _panel(request, client, form, message=gettext(
        "The consignee is filled in from the card. Press “Save” to keep it."))
