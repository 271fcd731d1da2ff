"""Reads of the card's Bank tab (CLI-07): the client's known bank accounts."""

from __future__ import annotations

from kontora.clients.models import Client, ClientBankAccount


def bank_accounts_of(client: Client) -> list[ClientBankAccount]:
    """The accounts of a client the caller obtained through `policies.clients.get`."""
    return list(ClientBankAccount.objects.filter(client=client))

