"""Clients written by an import (IMP-03, IMP-04), a batch at a time: the owning app's side of `imports`.

An import writes hundreds of clients per short transaction, so these services work on a batch: new clients are
checked by the card's rules (`card._check`), keyed (`fill_search_keys`, phone keys), numbered from one block of
codes and inserted with `bulk_create`; matched clients are locked together and changed by the same rules and rights
as `client_update` (the main data needs `edits_main`). Every client written gets one history row naming the import
(the row's target), inserted with the batch's others in one statement.

The import's undo and its rollback (a cancelled or failed run) take the clients back through `clients_import_remove`
(created ones deleted, with what the import gave them) and `clients_import_restore` (updated ones get their old
values back). Each runs inside the caller's transaction (the import's batch, with its job's checkpoint).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kontora.accounts.models import ClientScope, User
from kontora.clients import access, locks
from kontora.clients.models import Client, ContactPerson, PhoneKey
from kontora.clients.selectors.duplicates import MIN_PHONE_DIGITS, phone_keys
from kontora.clients.selectors.imports import ContactPlan, contact_plan, contacts_of
from kontora.clients.services.card import _check, _set_contact_keys, fill_search_keys
from kontora.clients.services.phones import client_phones_keep
from kontora.core import numbering
from kontora.core.audit import Change, audit_record_each, field_label, shown
from kontora.core.services.inserts import rows_insert, rows_update
from kontora.core.text import digits
from kontora.directories.models import ClientStatus, Priority, Region, Settlement

# The client's columns an import may write (attnames): the card's main requisites, the note, status and priority.
IMPORT_FIELDS = (
    "full_name", "short_name", "region_id", "settlement_id", "address", "postal_code", "phone", "fax", "email",
    "website", "main_contact", "inn", "kpp", "ogrn", "notes", "status_id", "priority_id", "curator_id",
)
_MAIN = frozenset(IMPORT_FIELDS) - {"notes", "status_id", "priority_id"}
_RELATED = {"region_id": "region", "settlement_id": "settlement", "status_id": "status", "priority_id": "priority",
            "curator_id": "curator"}
CONTACT_FIELDS = ("full_name", "position", "email", "phone_mobile")
_KEYS = ("name_key", "name_core_key", "full_name_key", "city_key", "phone_digits", "fax_digits")
_STAMP = ("changed_at", "changed_by_id")  # an updated client's change stamp, kept with its old values
# An updated client's old values also say what the import did to its contacts, for undo: {"added": [contact ids],
# "filled": {contact id: {field: old value}}, "keys": [the phone keys it inserted]}.
CONTACTS = "_contacts"


@dataclass
class ImportedClient:
    """One row to write: `key` is the caller's (the row's number in the file)."""

    key: int
    values: dict[str, Any]  # IMPORT_FIELDS → value (foreign keys as ids)
    # CONTACT_FIELDS of the row's contact person: a new client's main one; a matched client's new one, or filling
    # its namesake's empty fields (`selectors.imports.contact_plan`).
    contact: dict[str, str] | None = None
    client_id: int | None = None  # the client to update; None: a new one


@dataclass
class Written:
    """What a batch did, by the caller's key."""

    clients: dict[int, int] = field(default_factory=dict)  # key → the client created or updated
    old: dict[int, dict[str, Any]] = field(default_factory=dict)  # key → an updated client's old values (attnames)
    refused: dict[int, str] = field(default_factory=dict)  # key → why the row was not written


def _message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{field_label(Client, name)}: {' '.join(ValidationError(errors).messages)}"
                         for name, errors in exc.error_dict.items())
    return " ".join(exc.messages)


# The directory rows a run's batches named, by column: read once a run, not once a batch (`known`).
Known = dict[str, dict[int, Any]]
_READERS: dict[str, Any] = {
    "settlement_id": lambda ids: Settlement.objects.select_related("region").in_bulk(ids),
    "region_id": lambda ids: Region.objects.in_bulk(ids),
    "status_id": lambda ids: ClientStatus.objects.in_bulk(ids),
    "priority_id": lambda ids: Priority.objects.in_bulk(ids),
    "curator_id": lambda ids: User.objects.in_bulk(ids),
}


class _Related:
    """The directory rows a batch names, each read once (the card's checks and history read them) — or once a run,
    with the `known` rows of the run's earlier batches."""

    def __init__(self, rows: Sequence[ImportedClient], current: Sequence[Client] = (),
                 known: Known | None = None) -> None:
        def ids(attname: str) -> set[int]:
            found = {row.values[attname] for row in rows if row.values.get(attname)}
            return found | {getattr(c, attname) for c in current if getattr(c, attname)}

        self.objects: Known = known if known is not None else {}
        for attname, read in _READERS.items():
            have = self.objects.setdefault(attname, {})
            missing = ids(attname) - have.keys()
            if missing:
                have.update(read(missing))

    def set(self, client: Client, attname: str, value: Any) -> None:
        if attname in _RELATED:
            setattr(client, _RELATED[attname], self.objects[attname].get(value) if value else None)
        else:
            setattr(client, attname, value)


def _contact_label(name: str = "") -> str:
    label = str(capfirst(ContactPerson._meta.verbose_name))
    return f"{label} {name}" if name else label


def _contacts_write(plans: Mapping[int, ContactPlan]) -> tuple[dict[int, dict[str, Any]], dict[int, list[Change]]]:
    """The batch's contact plans ({client id: plan}) written: new contact persons inserted at once, namesakes' empty
    fields filled, the mobiles' phone keys inserted. Answers each client's undo record and history lines."""
    undo: dict[int, dict[str, Any]] = {pk: {"added": [], "filled": {}, "keys": []} for pk in plans}
    history: dict[int, list[Change]] = {pk: [] for pk in plans}
    new = [ContactPerson(client_id=pk, full_name=plan.full_name, phones_digits=digits(plan.filled.get(
        "phone_mobile", "")), **plan.filled) for pk, plan in plans.items() if plan.contact_id is None]
    for contact in ContactPerson.objects.bulk_create(new):
        undo[contact.client_id]["added"].append(contact.pk)
        history[contact.client_id].append({"field": _contact_label(), "old": "", "new": contact.full_name})
    filled = {plan.contact_id: (pk, plan) for pk, plan in plans.items() if plan.contact_id is not None}
    changed = list(ContactPerson.objects.filter(pk__in=list(filled)).order_by("pk")) if filled else []
    for contact in changed:
        pk, plan = filled[contact.pk]
        undo[pk]["filled"][str(contact.pk)] = {name: getattr(contact, name) for name in (*plan.filled,
                                                                                          "phones_digits")}
        for name, value in plan.filled.items():
            setattr(contact, name, value)
            history[pk].append({"field": f"{_contact_label(contact.full_name)}: {field_label(ContactPerson, name)}",
                                "old": "", "new": value})
        _set_contact_keys(contact)
        contact.save(update_fields=[*plan.filled, "phones_digits"])
    # Only the keys of the mobile written, each kept by id: undo deletes exactly these.
    keys = [PhoneKey(client_id=contact.client_id, contact_id=contact.pk, tail=number[-MIN_PHONE_DIGITS:],
                     number=number)
            for contact in [*new, *(c for c in changed if "phone_mobile" in filled[c.pk][1].filled)]
            for number in phone_keys(contact.phone_mobile)]
    for key in PhoneKey.objects.bulk_create(keys):
        undo[key.client_id]["keys"].append(key.pk)
    return undo, history


def _contacts_restore(client_id: int, undo: Mapping[str, Any]) -> list[Change]:
    """What `_contacts_write` did to a client taken back: its phone keys and added contacts deleted, the filled
    fields emptied again. Answers the history lines."""
    lines: list[Change] = []
    PhoneKey.objects.filter(pk__in=undo.get("keys", []), client_id=client_id).delete()
    for contact in ContactPerson.objects.filter(pk__in=undo.get("added", []), client_id=client_id).order_by("pk"):
        lines.append({"field": _contact_label(), "old": contact.full_name, "new": ""})
        contact.delete()
    filled = {int(pk): values for pk, values in (undo.get("filled") or {}).items()}
    for contact in ContactPerson.objects.filter(pk__in=list(filled), client_id=client_id).order_by("pk"):
        values = filled[contact.pk]
        lines += [{"field": f"{_contact_label(contact.full_name)}: {field_label(ContactPerson, name)}",
                   "old": getattr(contact, name), "new": value}
                  for name, value in values.items() if name != "phones_digits"]
        ContactPerson.objects.filter(pk=contact.pk).update(**values)
    return lines


def _shown(client: Client, attname: str) -> str:
    return shown(getattr(client, _RELATED.get(attname, attname)))


def _label(attname: str) -> str:
    return field_label(Client, _RELATED.get(attname, attname))


def _curator_refused(acting_user: User, client: Client) -> str:
    if acting_user.client_scope in (ClientScope.OWN, ClientScope.LIST_ALL) \
            and acting_user.pk not in (client.curator_id, client.specialist_id):
        return _("You work with your own clients only: be the curator or the specialist of a client you register.")
    return ""


def clients_import_create(
    *, acting_user: User, rows: Sequence[ImportedClient], tag: models.Model, summary: str, known: Known | None = None,
) -> Written:
    """New clients of an import's batch: checked by the card's rules (a row they refuse is not written and is
    answered with the reason), numbered from one block of codes, inserted at once with their phone keys, main
    contact persons and history rows (about `tag`, the import)."""
    written = Written()
    related = _Related(rows, known=known)
    ready: list[tuple[ImportedClient, Client]] = []
    # Model.__init__ walks the card's ~60 fields and their defaults: once, then each client a copy of the blank one.
    # Its values are immutable (no JSON or list column), so a shallow copy shares nothing a row changes.
    blank = Client(kind=Client.Kind.COMPANY, created_by_id=acting_user.pk, changed_by_id=acting_user.pk).__dict__
    for row in rows:
        client = Client.__new__(Client)
        client.__dict__.update(blank)
        client._state = ModelState()
        for attname in IMPORT_FIELDS:
            if attname in row.values:
                related.set(client, attname, row.values[attname])
        if client.curator_id is None:
            client.curator = acting_user  # nobody chosen: the one who imports, as the card does
        refused = _curator_refused(acting_user, client)
        if not refused:
            try:
                _check(client)
            except ValidationError as exc:
                refused = _message(exc)
        if refused:
            written.refused[row.key] = refused
            continue
        fill_search_keys(client)
        ready.append((row, client))
    if not ready:
        return written
    with transaction.atomic():
        for (_row, client), code in zip(ready, numbering.codes_next("client", len(ready)), strict=True):
            client.code = code
        rows_insert(Client, [client.__dict__ for _row, client in ready])
        by_code = dict(Client.objects.filter(code__in=[c.code for _r, c in ready]).values_list("code", "pk"))
        for _row, client in ready:
            client.pk = by_code[client.code]
        keys = [{"client_id": client.pk, "contact_id": None, "tail": number[-MIN_PHONE_DIGITS:], "number": number}
                for _row, client in ready for number in phone_keys(client.phone)]
        contacts: dict[int, dict[str, Any]] = {client.pk: {"client_id": client.pk, "is_main": True,
                                **{name: (row.contact or {}).get(name, "") for name in CONTACT_FIELDS}}
                    for row, client in ready if row.contact and row.contact.get("full_name")}
        for contact in contacts.values():
            contact["phones_digits"] = digits(contact["phone_mobile"])
        if contacts:
            rows_insert(ContactPerson, list(contacts.values()))
            for client_id, contact_id in ContactPerson.objects.filter(client_id__in=list(contacts)).values_list(
                    "client_id", "pk"):
                contacts[client_id]["id"] = contact_id
        keys += [{"client_id": client_id, "contact_id": contact["id"], "tail": number[-MIN_PHONE_DIGITS:],
                  "number": number}
                 for client_id, contact in contacts.items() for number in phone_keys(contact["phone_mobile"])]
        rows_insert(PhoneKey, keys)
        audit_record_each(actor=acting_user, event="clients.client.import_create", summary=summary, target=tag,
                          changes={client.pk: [] for _row, client in ready})
    written.clients = {row.key: client.pk for row, client in ready}
    return written


def _phones_rewrite(clients: Sequence[Client]) -> None:
    """The phone keys of the clients' own phone fields as they are now (client_phones_keep for a batch)."""
    if not clients:
        return
    # Read by the client index and the contacts' keys passed over here: a "contact IS NULL" condition lets SQLite's
    # planner, without statistics of the table, take the contact index and walk every client's own key.
    keys = PhoneKey.objects.filter(client_id__in=[client.pk for client in clients]).values_list("pk", "contact_id")
    PhoneKey.objects.filter(pk__in=[pk for pk, contact_id in keys if contact_id is None]).delete()
    rows_insert(PhoneKey, [{"client_id": client.pk, "contact_id": None, "tail": number[-MIN_PHONE_DIGITS:],
                            "number": number} for client in clients for number in phone_keys(client.phone)])


def clients_import_update(
    *, acting_user: User, rows: Sequence[ImportedClient], tag: models.Model, summary: str, known: Known | None = None,
) -> Written:
    """Matched clients of an import's batch changed by the card's rules and rights: locked together (primary-key
    order), each changed in the fields whose values differ; answered with each one's old values (for undo). A client
    the author may no longer change, or whose values the card's rules refuse, is not written and is answered with
    the reason. The row's contact person is added to the client, or fills its namesake's empty fields (the
    Personnel tab's right, `edits`); what it did is kept with the old values too."""
    written = Written()
    wanted = {row.client_id: row for row in rows if row.client_id is not None}
    history: dict[int, list[Change]] = {}
    plans: dict[int, ContactPlan] = {}
    saves: dict[tuple[str, ...], list[Client]] = {}
    phoned: list[Client] = []
    stamped = timezone.now()  # the batch's change stamp (a save's auto_now)
    with transaction.atomic():
        current = locks.clients_for_update(list(wanted), related=("region", "settlement", "status", "priority"),
                                           annotations=access.standing_annotations(acting_user))
        related = _Related(rows, current, known=known)
        people = contacts_of(client.pk for client in current if wanted[client.pk].contact)
        for client in current:
            row = wanted[client.pk]
            standing = access.standing_of_row(acting_user, client)
            changed = [name for name in IMPORT_FIELDS if name in row.values
                       and getattr(client, name) != row.values[name]
                       and not (getattr(client, name) in (None, "") and row.values[name] in (None, ""))]
            needed = standing.edits_main if any(name in _MAIN for name in changed) else standing.edits
            if not needed:
                written.refused[row.key] = _("You may not change this client.")
                continue
            if "curator_id" in changed and access.takes_private(acting_user, client, row.values["curator_id"]):
                # The card's rule (client_update), read from the locked row: nobody makes himself the curator of
                # another's private client.
                written.refused[row.key] = _("This client is another user's private client: you cannot become its "
                                             "curator.")
                continue
            old = {name: getattr(client, name) for name in changed}
            stamp = {"changed_at": client.changed_at.isoformat(), "changed_by_id": client.changed_by_id}
            before = {name: _shown(client, name) for name in changed}
            stored = {f.attname: getattr(client, f.attname) for f in Client._meta.concrete_fields}
            for name in changed:
                related.set(client, name, row.values[name])
            try:
                _check(client, region_follows="settlement_id" in changed and "region_id" not in changed)
            except ValidationError as exc:
                written.refused[row.key] = _message(exc)
                for name, value in old.items():
                    related.set(client, name, value)
                continue
            fill_search_keys(client)
            client.changed_by, client.changed_at = acting_user, stamped
            now = {f.attname: getattr(client, f.attname) for f in Client._meta.concrete_fields}
            columns = [f.name for f in Client._meta.concrete_fields if not f.primary_key and (
                getattr(f, "auto_now", False) or now[f.attname] != stored[f.attname])]
            # _check may rewrite a field it normalises (the region that follows the city): its old value is kept too.
            old.update({f.attname: stored[f.attname] for f in Client._meta.concrete_fields
                        if f.attname in IMPORT_FIELDS and now[f.attname] != stored[f.attname]})
            saves.setdefault(tuple(columns), []).append(client)
            if "phone" in old:
                phoned.append(client)
            history[client.pk] = [{"field": _label(name), "old": before.get(name, ""), "new": _shown(client, name)}
                                  for name in old if before.get(name, "") != _shown(client, name)
                                  or name not in before]
            written.clients[row.key] = client.pk
            written.old[row.key] = {**old, **stamp}
            plan = contact_plan(row.contact, people.get(client.pk, []))
            if plan is not None:
                plans[client.pk] = plan
        found = {client.pk for client in current}
        for key in (row.key for row in rows if row.client_id not in found):
            written.refused[key] = _("The client is no longer in the base.")
        # A statement per set of changed columns (a file's rows mostly change the same ones), not a save per client.
        for written_columns, clients in saves.items():
            rows_update(Client, clients, written_columns)
        _phones_rewrite(phoned)
        if plans:
            undo, lines = _contacts_write(plans)
            by_client = {pk: key for key, pk in written.clients.items()}
            for pk, done in undo.items():
                written.old[by_client[pk]][CONTACTS] = done
                history[pk] = [*history.get(pk, []), *lines[pk]]
        if history:
            audit_record_each(actor=acting_user, event="clients.client.import_update", summary=summary, target=tag,
                              changes=history)
    return written


def clients_import_restore(
    *, acting_user: User | None, old: Mapping[int, Mapping[str, Any]], tag: models.Model, summary: str,
) -> int:
    """Clients an import updated get their old values back ({client id: {attname: old value}}, and what it did to
    their contacts under CONTACTS); each gets a history row. Returns how many were restored."""
    history: dict[int, list[Change]] = {}
    with transaction.atomic():
        current = locks.clients_for_update(list(old), related=("region", "settlement", "status", "priority"))
        fake = [ImportedClient(key=0, values=dict(values)) for values in old.values()]
        related = _Related(fake, current)
        for client in current:
            values = {name: value for name, value in old[client.pk].items() if name in IMPORT_FIELDS}
            stamp = {name: old[client.pk][name] for name in _STAMP if name in old[client.pk]}
            if isinstance(stamp.get("changed_at"), str):
                stamp["changed_at"] = parse_datetime(stamp["changed_at"])
            before = {name: _shown(client, name) for name in values}
            for name, value in values.items():
                related.set(client, name, value)
            fill_search_keys(client)
            # A plain UPDATE: the change stamp goes back to what it was too (a save would stamp it now).
            Client.objects.filter(pk=client.pk).update(
                **{name: getattr(client, name) for name in (*values, *_KEYS)}, **stamp)
            if "phone" in values:
                client_phones_keep(client)
            history[client.pk] = [{"field": _label(name), "old": before[name], "new": _shown(client, name)}
                                  for name in values if before[name] != _shown(client, name)]
            if old[client.pk].get(CONTACTS):
                history[client.pk] += _contacts_restore(client.pk, old[client.pk][CONTACTS])
        if history:
            audit_record_each(actor=acting_user, event="clients.client.import_restore", summary=summary, target=tag,
                              changes=history)
    return len(history)


def clients_import_remove(*, acting_user: User | None, client_ids: Sequence[int], tag: models.Model,
                          summary: str) -> int:
    """Clients an import created are deleted with what the import gave them (contacts, phone keys); the caller has
    made sure nothing else hangs on them (`selectors.imports.clients_touched`). Each leaves a history row."""
    ids = list(client_ids)
    if not ids:
        return 0
    with transaction.atomic():
        found = list(Client.objects.filter(pk__in=ids).values_list("pk", "code", "short_name"))
        audit_record_each(actor=acting_user, event="clients.client.import_remove", summary=summary, target=tag,
                          changes={pk: [{"field": _label("short_name"), "old": f"{code} · {name}", "new": ""}]
                                   for pk, code, name in found})
        PhoneKey.objects.filter(client_id__in=ids).delete()
        ContactPerson.objects.filter(client_id__in=ids).delete()
        Client.objects.filter(pk__in=ids).delete()
    return len(found)
