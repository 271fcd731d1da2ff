"""The card's "Shipping requisites" tab (CLI-11): a part of the card's one form."""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.clients.forms.card import CardPartForm, label_of
from kontora.clients.models import Client, ClientShipping
from kontora.clients.selectors.shipping import shipping_of
from kontora.clients.services.shipping import FIELDS

PREFIX = "sh"


def _field(name: str, *, text: bool = False) -> forms.CharField:
    model_field = ClientShipping._meta.get_field(name)
    label = label_of(ClientShipping, name)
    if text:
        return forms.CharField(required=False, label=label, widget=forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(required=False, label=label, max_length=model_field.max_length)  # type: ignore[union-attr]


class ShippingForm(CardPartForm):
    prefix = PREFIX
    posted_names = ()
    layout = {
        "consignee": {"consignee": "col-6", "consignee_inn": "col-3", "consignee_kpp": "col-3",
                      "consignee_address": "col-12"},
        "transport": {"delivery_address": "col-12", "shipment_terms": "col-6", "products": "col-6", "carrier": "col-6",
                      "receiver_contact": "col-6", "transport": "col-12"},
    }

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

    def build(self) -> None:
        # People paste INN/KPP with spaces; the service normalises them, so the length check must not refuse.
        for name in ("consignee_inn", "consignee_kpp"):
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = None
            field.validators = []
            field.widget.attrs.pop("maxlength", None)

    def stored(self, client: Client | None) -> dict[str, Any]:
        if client is None:
            return {}
        row = shipping_of(client)
        return {name: getattr(row, name) for name in FIELDS}
