"""What an import asks of the clients: which clients a row's key matches (with the importing user's standing towards
each, and nothing else of a client he may not open), and which of the clients an import wrote were touched since."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kontora.clients import access
from kontora.clients.hooks import CLIENT_ROWS
from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.selectors.duplicates import MIN_PHONE_DIGITS
from kontora.core.models import AuditEvent
from kontora.core.text import search_key

# The keys a row may be matched by (imports.models.Import.MatchKey's values).
INN_KPP, INN, PHONE, EMAIL, NAME = "inn_kpp", "inn", "phone", "email", "name"
# The columns a matched client's dry run compares (the attnames clients.services.imports writes).
COMPARED = (
    "full_name", "short_name", "region_id", "settlement_id", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "inn", "kpp", "ogrn", "notes", "status_id", "priority_id", "curator_id",
)
# The contact's fields an import fills when the client's namesake contact has them empty (its name is the match).
CONTACT_FILLED = ("position", "email", "phone_mobile")
# Events of the import's own history rows about a client: what it wrote is no change "since".
OWN_EVENTS = ("clients.client.import_create", "clients.client.import_update", "clients.client.import_restore")


@dataclass(frozen=True)
class Match:
    client_id: int
    opens: bool  # the user may open the card: its values may be shown and compared
    edits: bool
    edits_main: bool
    values: dict[str, Any] | None  # COMPARED as kept (only of a client he may open)
    is_private: bool = False  # (only of a client he may open)
    contacts: list[dict[str, Any]] = field(default_factory=list)  # its contact persons (id, full_name, CONTACT_FILLED)


@dataclass(frozen=True)
class ContactPlan:
    """What a row's contact person does to a matched client: added (`contact_id` None), or the empty fields of its
    namesake filled (`filled`: {field: new value})."""

    contact_id: int | None
    full_name: str
    filled: dict[str, str]


def contact_plan(contact: Mapping[str, str] | None, existing: Sequence[Mapping[str, Any]]) -> ContactPlan | None:
    """What the row's contact does to a client with these contact persons; None when nothing (no contact in the row,
    or its namesake has every field the row has). Names compare by their search keys: any case and spacing."""
    name = (contact or {}).get("full_name", "")
    if not contact or not name:
        return None
    key = search_key(name)
    same = next((person for person in existing if search_key(person["full_name"]) == key), None)
    if same is None:
        return ContactPlan(None, name, {field: contact[field] for field in CONTACT_FILLED if contact.get(field)})
    filled = {field: contact[field] for field in CONTACT_FILLED if contact.get(field) and not same[field]}
    return ContactPlan(same["id"], same["full_name"], filled) if filled else None


def contacts_of(client_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The contact persons of these clients (id, full_name, CONTACT_FILLED), by client, in one query."""
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    ids = sorted(set(client_ids))
    if ids:
        for person in ContactPerson.objects.filter(client_id__in=ids).order_by("pk").values(
                "id", "client_id", "full_name", *CONTACT_FILLED):
            found[person.pop("client_id")].append(person)
    return found


def matched(user: Any, key: str, wanted: Iterable[str]) -> dict[str, list[Match]]:
    """The clients each wanted value of `key` matches ({value: [Match]}), among every client of the base: one
    the user may not open is answered with his standing only, never its values. Values as the import keeps them:
    INN+KPP as "inn/kpp", a phone as its national 10 digits, an e-mail, a name as its search key."""
    values = sorted({value for value in wanted if value})
    found: dict[str, list[Match]] = defaultdict(list)
    if not values:
        return found
    by_client: dict[int, list[str]] = defaultdict(list)
    if key == PHONE:
        tails = {value[-MIN_PHONE_DIGITS:] for value in values}
        wanted_set = set(values)
        # The contacts' keys are passed over here, not in SQL: see clients.services.imports._phones_rewrite.
        for client_id, number, contact_id in PhoneKey.objects.filter(tail__in=tails).values_list(
                "client_id", "number", "contact_id"):
            if contact_id is None and number in wanted_set:
                by_client[client_id].append(number)
        clients = Client.objects.filter(pk__in=list(by_client))
    elif key == INN_KPP:
        pairs = {tuple(value.split("/", 1)) for value in values if "/" in value}
        clients = Client.objects.filter(inn__in={inn for inn, _kpp in pairs})
    elif key == INN:
        clients = Client.objects.filter(inn__in=values)
    elif key == EMAIL:
        # Addresses are ASCII in practice, which LOWER folds on both databases; the key is kept in lower case.
        clients = Client.objects.annotate(k_email=Lower("email")).filter(k_email__in=values)
    elif key == NAME:
        clients = Client.objects.filter(name_key__in=values)
    else:
        raise ValueError(f"unknown match key {key!r}")
    rows = list(clients.annotate(**access.standing_annotations(user)).order_by("pk"))
    standings = {client.pk: access.standing_of_row(user, client) for client in rows}
    # The contacts of the clients he may open, for the rows' contact persons: one query a batch.
    contacts = contacts_of(pk for pk, standing in standings.items() if standing.opens)
    for client in rows:
        if key == INN_KPP:
            keys = [f"{client.inn}/{client.kpp}"] if (client.inn, client.kpp) in pairs else []
        elif key == INN:
            keys = [client.inn]
        elif key == EMAIL:
            keys = [client.email.lower()]
        elif key == NAME:
            keys = [client.name_key]
        else:
            keys = by_client.get(client.pk, [])
        standing = standings[client.pk]
        match = Match(client_id=client.pk, opens=standing.opens, edits=standing.edits,
                      edits_main=standing.edits_main,
                      values={name: getattr(client, name) for name in COMPARED} if standing.opens else None,
                      is_private=bool(client.is_private) and standing.opens, contacts=contacts.get(client.pk, []))
        for value in dict.fromkeys(keys):
            found[value].append(match)
    return found


def clients_touched(*, tag: models.Model, created: list[int], updated: list[int],
                    within: bool = False) -> dict[int, list[str]]:
    """Clients an import wrote that something else changed since, with what: a later history row about the client
    not of this import (a card save, an event, a task, a file …), and for a client it created, rows other apps keep
    about it (`CLIENT_ROWS`: taking the client back would take those with them). {client id: [what]}. `within`: only
    these clients' rows are read (a batch of them), not the whole import's."""
    touched: dict[int, list[str]] = defaultdict(list)
    target_type, target_id = tag._meta.label_lower, tag.pk
    later = AuditEvent.objects.filter(client_id=OuterRef("client_id"), id__gt=OuterRef("id")).exclude(
        target_type=target_type, target_id=target_id)
    written = set(created) | set(updated)
    changed = AuditEvent.objects.filter(target_type=target_type, target_id=target_id, event__in=OWN_EVENTS[:2]) \
        .filter(Exists(later)).values_list("client_id", flat=True).distinct()
    if within:
        changed = changed.filter(client_id__in=sorted(written))
    for client_id in changed:
        if client_id in written:
            touched[int(client_id)].append(_("the card was changed since"))
    for start in range(0, len(created), 500):
        batch = created[start:start + 500]
        for item in CLIENT_ROWS.items():
            for client_id in item.having(batch):
                touched[client_id].append(str(item.label))
    return dict(touched)
