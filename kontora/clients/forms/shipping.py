"""The card's "Shipping requisites" tab (CLI-11): its form, detached from the card's main form and prefixed."""

from __future__ import annotations

from typing import Any

from django import forms

from kontora.clients.forms.card import DetachedForm, label_of
from kontora.clients.models import ClientShipping

DETACHED = "k-shipping-detached"
PREFIX = "sh"


def _field(name: str, *, text: bool = False) -> forms.CharField:
    model_field = ClientShipping._meta.get_field(name)
    label = label_of(ClientShipping, name)
    if text:
        return forms.CharField(required=False, label=label, widget=forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(required=False, label=label, max_length=model_field.max_length)  # type: ignore[union-attr]


class ShippingForm(DetachedForm):
    detached = DETACHED
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # People paste INN/KPP with spaces; the service normalises them, so the length check must not refuse.
        for name in ("consignee_inn", "consignee_kpp"):
            field = self.fields[name]
            assert isinstance(field, forms.CharField)
            field.max_length = None
            field.validators = []
            field.widget.attrs.pop("maxlength", None)
