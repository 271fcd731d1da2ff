"""What an import asks of the clients: which clients a row's key matches (with the importing user's standing towards
each, and nothing else of a client he may not open), and which of the clients an import wrote were touched since."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from kontora.clients import access
from kontora.clients.hooks import CLIENT_ROWS
from kontora.clients.models import Client, PhoneKey
from kontora.clients.selectors.duplicates import MIN_PHONE_DIGITS
from kontora.core.models import AuditEvent

# The keys a row may be matched by (imports.models.Import.MatchKey's values).
INN_KPP, INN, PHONE, EMAIL, NAME = "inn_kpp", "inn", "phone", "email", "name"
# The columns a matched client's dry run compares (the attnames clients.services.imports writes).
COMPARED = (
    "full_name", "short_name", "region_id", "settlement_id", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "inn", "kpp", "ogrn", "notes", "status_id", "priority_id", "curator_id",
)
# Events of the import's own history rows about a client: what it wrote is no change "since".
OWN_EVENTS = ("clients.client.import_create", "clients.client.import_update", "clients.client.import_restore")


@dataclass(frozen=True)
class Match:
    client_id: int
    opens: bool  # the user may open the card: its values may be shown and compared
    edits: bool
    edits_main: bool
    values: dict[str, Any] | None  # COMPARED as kept (only of a client he may open)


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
        for client_id, number in PhoneKey.objects.filter(tail__in=tails, contact__isnull=True).values_list(
                "client_id", "number"):
            if number in wanted_set:
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
    rows = clients.annotate(**access.standing_annotations(user)).order_by("pk")
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
        standing = access.standing_of_row(user, client)
        match = Match(client_id=client.pk, opens=standing.opens, edits=standing.edits,
                      edits_main=standing.edits_main,
                      values={name: getattr(client, name) for name in COMPARED} if standing.opens else None)
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
