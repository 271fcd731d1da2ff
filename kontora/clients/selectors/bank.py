"""Reads of the card's Bank tab (CLI-07): the client's known bank accounts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from kontora.clients.models import Client, ClientBankAccount


def bank_accounts_of(client: Client) -> list[ClientBankAccount]:
    """The accounts of a client the caller obtained through `access.access_client`."""
    return list(ClientBankAccount.objects.filter(client=client))


def access_bank_account(client: Client, account_id: int) -> ClientBankAccount:
    """One account of that client, or 404."""
    return get_object_or_404(ClientBankAccount, pk=account_id, client=client)
