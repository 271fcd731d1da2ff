"""The card's "Shipping requisites" tab (CLI-11): the consignee, where and how the goods travel."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.clients import access, history
from kontora.clients.models import Client, ClientShipping
from kontora.core import requisites

audit = logging.getLogger("kontora.audit")

FIELDS = (
    "consignee", "consignee_inn", "consignee_kpp", "consignee_address", "delivery_address", "shipment_terms",
    "products", "carrier", "transport", "receiver_contact",
)


# --- selectors ---

def shipping_of(client: Client) -> ClientShipping:
    """The client's shipping requisites; an unsaved empty row until the first save."""
    return ClientShipping.objects.filter(client=client).first() or ClientShipping(client=client)


def consignee_from_card(client: Client) -> dict[str, str]:
    """"Consignee = this client": the card's name, INN, KPP and address, as the form's values."""
    address = ", ".join(part for part in (
        client.postal_code, client.settlement.name if client.settlement_id and client.settlement else "",
        client.address,
    ) if part)
    return {
        "consignee": client.full_name or client.short_name, "consignee_inn": client.inn,
        "consignee_kpp": client.kpp, "consignee_address": address,
    }


# --- services ---

def _check(values: dict[str, str]) -> None:
    """INN/KPP of the consignee, both optional, normalised in place; errors keyed by the form's fields."""
    inn, kpp = values["consignee_inn"], values["consignee_kpp"]
    errors: dict[str, Any] = {}
    if inn:
        checked, found = requisites.entity_requisites(inn=inn, kpp=kpp)
        values["consignee_inn"], values["consignee_kpp"] = checked["inn"], checked["kpp"]
        for name in ("inn", "kpp"):
            if name in found:
                errors[f"consignee_{name}"] = found[name]
    elif kpp:
        try:
            values["consignee_kpp"] = requisites.validate_kpp(kpp)
        except ValidationError as exc:
            errors["consignee_kpp"] = exc
        else:
            errors["consignee_inn"] = _("Enter the consignee's INN too: a KPP alone identifies nobody.")
    if errors:
        raise ValidationError(errors)


def shipping_update(*, acting_user: Any, client: Client, values: Mapping[str, Any]) -> ClientShipping:
    with transaction.atomic():
        if not access.can_edit(acting_user, client):
            raise PermissionDenied
        row = ClientShipping.objects.select_for_update().filter(client=client).first()
        new = row is None
        if row is None:
            row = ClientShipping(client=client)
        cleaned = {name: str(values.get(name, getattr(row, name)) or "").strip() for name in FIELDS}
        _check(cleaned)
        before = history.snapshot(row, FIELDS)
        for name, value in cleaned.items():
            setattr(row, name, value)
        details = history.changes_between(ClientShipping, before, history.snapshot(row, FIELDS), FIELDS)
        if not details:
            return row
        if new:
            row.save(force_insert=True)
        else:
            row.save(update_fields=list(FIELDS))
        history.record(client=client, user=acting_user, action=_("Shipping requisites changed"), details=details)
        history.touch(client, acting_user)
    audit.info("%s changed the shipping requisites of client %s", acting_user.login, client.code)
    return row
