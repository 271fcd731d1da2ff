"""The card's "Shipping requisites" tab (CLI-11): the consignee, where and how the goods travel (reads:
selectors.shipping)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import locks, policies
from kontora.clients.models import Client, ClientShipping
from kontora.clients.services.card import touch
from kontora.core import requisites
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.errors import NotAllowed

FIELDS = (
    "consignee", "consignee_inn", "consignee_kpp", "consignee_address", "delivery_address", "shipment_terms",
    "products", "carrier", "transport", "receiver_contact",
)


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


def shipping_update(*, acting_user: User, client: Client, values: Mapping[str, Any]) -> ClientShipping:
    with transaction.atomic():
        if not policies.shippings.can(acting_user, "change", client):
            raise NotAllowed
        row = locks.shipping_for_update(client)
        new = row is None
        if row is None:
            row = ClientShipping(client=client)
        cleaned = {name: str(values.get(name, getattr(row, name)) or "").strip() for name in FIELDS}
        _check(cleaned)
        before = snapshot(row, FIELDS)
        for name, value in cleaned.items():
            setattr(row, name, value)
        changes = changes_between(ClientShipping, before, snapshot(row, FIELDS), FIELDS)
        if not changes:
            return row
        if new:
            row.save(force_insert=True)
        else:
            row.save(update_fields=list(FIELDS))
        audit_record(actor=acting_user, event="clients.shipping.update", summary=_("Shipping requisites changed"),
                     target=row, client=client, changes=changes)
        touch(client, acting_user)
    return row
