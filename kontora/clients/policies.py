"""Who may see and do what with a client and its rows: one policy object per client-owned model.

Every policy here is a `core.permissions.Policy`: `visible(user)` starts from `access.openable_clients` (the card
level), `get(user, pk)` answers the row or the same 404 for a missing and a forbidden one, `can(user, action,
obj)` asks `access.standing` (one query per client, memoised per request). The rules themselves live in
`kontora.clients.access`; this module only says which level each action of each model needs:

  model                                  view    add / change / delete
  Client (the card)                      opens   change: edits; change_main: edits_main; make_private
  ContactPerson, ClientFile/Folder,      opens   edits
  ClientMailing(Address), ClientShipping,
  ClientSecurity
  ClientBankAccount, ClientRegistration, opens   edits_main (main data of the card)
  ClientLegalChange, ClientPersonal
  ClientGrant (the Access tab)           opens   edits_main
  AttributeValue (the Attributes tab)    opens   edits
  AuditEvent rows about a client         opens   (written by services only)

`ClientSecurity` adds "sign": the right `security_decisions` on a card the user may edit. Process runs have theirs in
`processes.policies`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404

from kontora.accounts.policies import has_right
from kontora.clients import access
from kontora.clients.models import (
    Client,
    ClientBankAccount,
    ClientFile,
    ClientFolder,
    ClientGrant,
    ClientLegalChange,
    ClientMailing,
    ClientMailingAddress,
    ClientPersonal,
    ClientRegistration,
    ClientSecurity,
    ClientShipping,
    ContactPerson,
    PhoneKey,
    StageChange,
)
from kontora.core.models import AuditEvent
from kontora.core.permissions import Policy
from kontora.core.text import id_param
from kontora.directories.models import AttributeValue

M = TypeVar("M", bound=Model)

VIEW, ADD, CHANGE, DELETE = "view", "add", "change", "delete"


class ClientPolicy(Policy[Client]):
    """The client itself at the card level (the registry level is `access.visible_clients`, not a policy: a list
    row is not the record)."""

    model = Client
    ACTIONS = {VIEW: "opens", CHANGE: "edits", "change_main": "edits_main"}

    def visible(self, user: Any) -> QuerySet[Client]:
        return access.openable_clients(user)

    def get(self, user: Any, pk: Any, *, related: tuple[str, ...] = (), **within: Any) -> Client:
        """The card's client, or 404 — the same whether it does not exist or is not the user's to open; read with
        the user's standing towards it and the relations its page shows (`related`) in one query, so the checks
        after it cost none."""
        if within:
            return super().get(user, pk, **within)
        client = access.openable_client(user, pk, related=related) if id_param(pk) else None
        if client is None:
            raise Http404
        return client

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "make_private":
            # A new card (obj None) may be made private by a curator with the right.
            return access.can_make_private(user, obj) and (obj is None or access.standing(user, obj).edits)
        return access.standing(user, obj).allows(self.ACTIONS[action])


class OwnedPolicy(Policy[M], Generic[M]):
    """Rows that belong to one client (`client_field`): read by those who open its card, added, changed and
    deleted by those at `change_level` ("edits", or "edits_main" for the card's main data)."""

    def __init__(self, model: type[M], *, change_level: str = "edits", client_field: str = "client",
                 related: tuple[str, ...] = ()) -> None:
        self.model = model
        self.change_level = change_level
        # The column holding the client's id: "client_id" of a foreign key `client`, or a plain integer column.
        self.client_column = client_field if client_field.endswith("_id") else f"{client_field}_id"
        self.related = related  # select_related of `get`

    def client_id_of(self, obj: Any) -> int | None:
        return obj.pk if isinstance(obj, Client) else getattr(obj, self.client_column)

    def visible(self, user: Any) -> QuerySet[M]:
        openable = access.openable_clients(user).values("pk")
        return self.model._default_manager.filter(**{f"{self.client_column}__in": openable})

    def get(self, user: Any, pk: Any, *, client: Client | None = None, **within: Any) -> M:
        """One row; with `client` (already got through `clients.get`) only a row of that client, and its access is
        the client's memoised standing instead of a join."""
        if client is None:
            return super().get(user, pk, **within)
        if id_param(pk) is None or not self.can(user, VIEW, client):
            raise Http404
        rows = self.model._default_manager.select_related(*self.related)
        found = rows.filter(pk=pk, **{self.client_column: client.pk}, **within).first()
        if found is None:
            raise Http404
        return found

    def can(self, user: Any, action: str, obj: Any) -> bool:
        """`obj` is a row of the model, or for "add" the client the new row will belong to."""
        client_id = self.client_id_of(obj)
        if client_id is None:
            return False
        return access.standing(user, client_id).allows("opens" if action == VIEW else self.change_level)


class SecurityPolicy(OwnedPolicy[ClientSecurity]):
    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "sign":
            # ACL-04: the signing right, on a card the user may edit (opening it is not enough: issue 11, F3).
            return has_right(user, "security_decisions") and super().can(user, CHANGE, obj)
        return super().can(user, action, obj)


class HistoryPolicy(OwnedPolicy[AuditEvent]):
    """The audit rows about a client (its card's change history, CLI-12): read-only client-owned data."""

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == VIEW and super().can(user, VIEW, obj)


clients = ClientPolicy()
contacts = OwnedPolicy(ContactPerson)
files = OwnedPolicy(ClientFile, related=("uploaded_by", "folder"))
folders = OwnedPolicy(ClientFolder)
bank_accounts = OwnedPolicy(ClientBankAccount, change_level="edits_main")
registrations = OwnedPolicy(ClientRegistration, change_level="edits_main")
legal_changes = OwnedPolicy(ClientLegalChange, change_level="edits_main")
personal_data = OwnedPolicy(ClientPersonal, change_level="edits_main")
mailings = OwnedPolicy(ClientMailing)
mailing_addresses = OwnedPolicy(ClientMailingAddress)
securities = SecurityPolicy(ClientSecurity)
shippings = OwnedPolicy(ClientShipping)
# Custom attribute values (directories.AttributeValue) carry the client's id: they are the card's Attributes tab.
attribute_values = OwnedPolicy(AttributeValue, client_field="client_id")
history = HistoryPolicy(AuditEvent, client_field="client_id")
# The Access tab's grants: who else sees the card (main data of the card).
grants = OwnedPolicy(ClientGrant, change_level="edits_main")
# The duplicate check's phone keys (CLI-16): card data, read as the contacts' phones they are made of.
phone_keys = OwnedPolicy(PhoneKey)
# The client's moves on the sales ladder (HIS-02): card data, written only by services.ladder.
stage_changes = OwnedPolicy(StageChange)

POLICIES: tuple[Policy[Any], ...] = (
    clients, contacts, files, folders, bank_accounts, registrations, legal_changes, personal_data, mailings,
    mailing_addresses, securities, shippings, attribute_values, history, grants, phone_keys, stage_changes,
)


@dataclass(frozen=True)
class CardRights:
    """What the client card lets this user do, as booleans for the view and the template."""

    can_edit: bool  # info: General and Operational tabs, contacts
    can_edit_main: bool  # main requisites, registration data, curator, specialist, grants
    can_make_private: bool


def card_rights(user: Any, client: Client | None) -> CardRights:
    if client is None:
        return CardRights(True, True, clients.can(user, "make_private", None))
    return CardRights(
        can_edit=clients.can(user, CHANGE, client),
        can_edit_main=clients.can(user, "change_main", client),
        can_make_private=clients.can(user, "make_private", client),
    )


def can_edit_contacts(user: Any, client: Client) -> bool:
    return contacts.can(user, ADD, client)
