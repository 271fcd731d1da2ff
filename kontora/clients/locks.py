"""Row locks of the client card, each built with `core.locks.locked` (primary-key order, `no_key`, `of=self`).

The card's save and the registration tabs lock the client's row, so two users saving the same card queue
instead of overwriting each other's values unseen; the one-row tabs (mailing switches, security, shipping)
lock their own row when it exists (the first save inserts it, and the primary key — the client — settles a
race of two first saves).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from kontora.accounts.models import User
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientMailing,
    ClientMailingAddress,
    ClientSecurity,
    ClientShipping,
    ContactPerson,
)
from kontora.core.locks import locked


def client_for_update(client_id: int, *, related: tuple[str, ...] = (),
                      annotations: Mapping[str, Any] = MappingProxyType({})) -> Client:
    """The client's row locked (only its own row: `related` rows are read with it, not locked)."""
    return locked(Client.objects.filter(pk=client_id).select_related(*related).annotate(**annotations)).get()


def contact_for_update(contact_id: int) -> ContactPerson:
    return locked(ContactPerson.objects.filter(pk=contact_id)).get()


def bank_account_for_update(account_id: int) -> ClientBankAccount:
    return locked(ClientBankAccount.objects.filter(pk=account_id)).get()


def mailing_address_for_update(address_id: int) -> ClientMailingAddress:
    return locked(ClientMailingAddress.objects.filter(pk=address_id)).get()


def mailing_for_update(client: Client) -> ClientMailing | None:
    return locked(ClientMailing.objects.filter(client=client)).first()


def security_for_update(client: Client) -> ClientSecurity | None:
    return locked(ClientSecurity.objects.filter(client=client)).first()


def shipping_for_update(client: Client) -> ClientShipping | None:
    return locked(ClientShipping.objects.filter(client=client)).first()


def checker_for_update(user_id: int) -> User:
    """The user about to run a duplicate check: his checks of one minute are counted one at a time, so two at once
    cannot both pass the limit."""
    return locked(User.objects.filter(pk=user_id)).get()


def mailing_addresses_for_update(kind: str, value_key: str) -> list[ClientMailingAddress]:
    """Every client's subscribed row of one address, locked (an unsubscription touches them all)."""
    return list(locked(ClientMailingAddress.objects.filter(kind=kind, value_key=value_key, subscribed=True)
                       .order_by("pk")))


def clients_for_update(client_ids: list[int], *, related: tuple[str, ...] = (),
                       annotations: Mapping[str, Any] = MappingProxyType({})) -> list[Client]:
    """A batch of clients' rows locked in one statement, in primary-key order (an import's updates)."""
    return list(locked(Client.objects.filter(pk__in=client_ids).select_related(*related).annotate(**annotations)))
