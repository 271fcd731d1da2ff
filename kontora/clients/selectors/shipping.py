"""Reads of the card's "Shipping requisites" tab (CLI-11)."""

from __future__ import annotations

from kontora.clients.models import Client, ClientShipping
from kontora.clients.selectors.card import one_row


def shipping_of(client: Client) -> ClientShipping:
    """The client's shipping requisites; an unsaved empty row until the first save."""
    return one_row(client, "shipping", ClientShipping)


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
