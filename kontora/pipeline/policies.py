"""Who sees what on the board. A client's ladder stage is card data (not a registry column), so the board starts
from the card-level client set: a "list all" user sees there only the clients he may open, and nobody another
curator's private client. Moving a card is editing the client: clients' own policy decides."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.clients.models import Client


def board_clients(user: Any) -> QuerySet[Client]:
    """The clients the board may show to `user`: those he opens. For a user who opens only his own, read from
    them (a union of the curator, specialist and grant indexes: a few thousand of a million), not by testing every
    client of a stage against them."""
    clients = access.openable_clients(user)
    return clients if opens_widely(user) else clients.filter(pk__in=access.own_client_ids(user))


def opens_widely(user: Any) -> bool:
    """Nothing but privacy keeps a card from the user: his board reads each stage along its index."""
    return access.opens_every_shared(user)


def others_private(user: Any) -> QuerySet[Client]:
    return access.others_private_clients(user)


def can_move(user: Any, client: Client) -> bool:
    return client_policies.clients.can(user, "change", client)
