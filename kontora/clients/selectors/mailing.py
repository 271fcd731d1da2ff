"""Reads of the card's "Mailing E-Mail & SMS" tab (CLI-09): the client's switches and addresses."""

from __future__ import annotations

from kontora.clients.models import Client, ClientMailing, ClientMailingAddress
from kontora.clients.selectors.card import one_row


def mailing_settings(client: Client) -> ClientMailing:
    """The client's switches; an unsaved row with the defaults until the first save."""
    return one_row(client, "mailing", ClientMailing)


def mailing_addresses(client: Client) -> list[ClientMailingAddress]:
    return list(ClientMailingAddress.objects.filter(client=client).order_by("kind", "id"))

