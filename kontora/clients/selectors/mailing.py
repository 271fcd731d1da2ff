"""Reads of the card's "Mailing E-Mail & SMS" tab (CLI-09): the client's switches and addresses."""

from __future__ import annotations

from kontora.clients.models import Client, ClientMailing, ClientMailingAddress


def mailing_settings(client: Client) -> ClientMailing:
    """The client's switches; an unsaved row with the defaults until the first save."""
    return ClientMailing.objects.filter(client=client).first() or ClientMailing(client=client)


def mailing_addresses(client: Client) -> list[ClientMailingAddress]:
    return list(ClientMailingAddress.objects.filter(client=client).order_by("kind", "id"))

