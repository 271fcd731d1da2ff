"""Reads of imports: one import of its author's, its staged rows a page at a time (the grid, keyset by the row's
number), the per-row error report as CSV, and what a staged row would write to a client (`row_target`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import Client
from kontora.core.audit import field_label
from kontora.core.text import id_param
from kontora.directories.models import ClientStatus, Priority, Region, Settlement
from kontora.imports.models import Import, ImportRow
from kontora.imports.policies import own_imports
from kontora.imports.policies import rows as row_policy
from kontora.imports.selectors import columns as c
from kontora.imports.selectors.cleaning import (
    CONTACT_FIRST_NAME,
    CONTACT_PATRONYMIC,
    CONTACT_SURNAME,
    CURATOR_ID,
    STATUS_ID,
)

PAGE = 100
# Import fields → the client's columns (attnames) they are written to; the region and the city go as the
# directory's ids the cleaning found, the contact's name also as the client's main contact.
TEXT_COLUMNS = {
    c.FULL_NAME: "full_name", c.SHORT_NAME: "short_name", c.ADDRESS: "address", c.POSTAL_CODE: "postal_code",
    c.PHONE: "phone", c.FAX: "fax", c.EMAIL: "email", c.WEBSITE: "website", c.INN: "inn", c.KPP: "kpp",
    c.OGRN: "ogrn", c.CONTACT_NAME: "main_contact",
}
# attname → (the related model, the client's field, the related model's field that names an item)
_RELATED: dict[str, tuple[Any, str, str]] = {
    "region_id": (Region, "region", "name"), "settlement_id": (Settlement, "settlement", "name"),
    "status_id": (ClientStatus, "status", "name"), "priority_id": (Priority, "priority", "name"),
    "curator_id": (User, "curator", "full_name"),
}


def access_import(user: Any, import_id: Any) -> Import:
    """The user's own import, or 404 (the same for a missing one and another's)."""
    pk = id_param(import_id)
    found = own_imports(user).filter(pk=pk).select_related("job").first() if pk is not None else None
    if found is None:
        raise Http404
    return found


def import_rows(*, fetched_by: Any, import_id: int, after: int = 0, limit: int = PAGE, action: str | None = None,
                errors_only: bool = False) -> list[ImportRow]:
    """A page of the import's staged rows after row number `after` (the grid's keyset), with the matched client's
    code and name (a client the author may open: the policy's rows): one query."""
    rows = row_policy.visible(fetched_by).filter(run_id=import_id, number__gt=after)
    if action is not None:
        rows = rows.filter(action=action)
    if errors_only:
        rows = rows.exclude(problems=[])
    return list(rows.select_related("client").order_by("number")[:limit])


def row_target(run: Import, row: ImportRow, *, current: dict[str, Any] | None = None) -> dict[str, Any]:
    """The client's columns a staged row writes: for a new client (`current` None) every value the row has, the
    import's status and priority; for a matched one (`current`: its columns as kept) only what the row fills — an
    empty cell never blanks a client's value — and the row's note added under the client's notes.

    The row's own status and curator (the directories' items its columns named) are written to a new client and to
    a matched one alike, and a row's status wins over the one chosen for all rows in step 3: the user typed it for
    this client. A new client without a curator in its row gets the importing user (the clients' service)."""
    values = row.values
    target: dict[str, Any] = {column: values[key] for key, column in TEXT_COLUMNS.items() if values.get(key)}
    if row.region_id:
        target["region_id"] = row.region_id
    if row.settlement_id:
        target["settlement_id"] = row.settlement_id
    if values.get(STATUS_ID):
        target["status_id"] = int(values[STATUS_ID])
    if values.get(CURATOR_ID):
        target["curator_id"] = int(values[CURATOR_ID])
    note = values.get(c.NOTE, "")
    if current is None:
        if note:
            target["notes"] = note
        if run.status_id and "status_id" not in target:
            target["status_id"] = run.status_id
        if run.priority_id:
            target["priority_id"] = run.priority_id
    elif note and note not in (current.get("notes") or ""):
        target["notes"] = f"{current['notes']}\n{note}" if current.get("notes") else note
    return target


def row_contact(row: ImportRow) -> dict[str, str] | None:
    """The contact person of the row (its full name split by the cleaning): a new client's main contact, added to a
    matched client that has nobody of that name, or filling the empty fields of the one it has."""
    values = row.values
    name = values.get(c.CONTACT_NAME, "")
    if not name:
        return None
    return {"full_name": name, "position": values.get(c.CONTACT_POSITION, ""), "email": values.get(c.CONTACT_EMAIL, ""),
            "phone_mobile": values.get(c.MOBILE, ""), "surname": values.get(CONTACT_SURNAME, ""),
            "name": values.get(CONTACT_FIRST_NAME, ""), "patronymic": values.get(CONTACT_PATRONYMIC, "")}


class FieldNames:
    """Labels of the client's columns and their values as a page shows them (a directory's id as its name, each
    read once)."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, int], str] = {}

    def label(self, attname: str) -> str:
        return field_label(Client, _RELATED[attname][1] if attname in _RELATED else attname)

    def shown(self, attname: str, value: Any) -> str:
        if value in (None, ""):
            return ""
        if attname not in _RELATED:
            return str(value)
        key = (attname, int(value))
        if key not in self._names:
            model, _relation, named = _RELATED[attname]
            name = model._default_manager.filter(pk=value).values_list(named, flat=True).first()
            self._names[key] = str(name or value)
        return self._names[key]


def field_names() -> FieldNames:
    return FieldNames()


def import_errors_csv(*, fetched_by: Any, import_id: int) -> Iterator[str]:
    """The per-row error report (IMP-03) as CSV text for Excel (UTF-8 with a BOM, «;»), a chunk at a time: each
    problem of each row — its number, the column's letter and name, error or warning, what is wrong — then the
    rows the dry run or the run could not take (a conflict, a refusal), with their reason."""
    run = access_import(fetched_by, import_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_("Row"), _("Column"), _("Column name"), _("Kind"), _("What is wrong")])
    yield "\ufeff" + _drained(buffer)
    kinds = {"error": _("error"), "warning": _("warning")}
    after = 0
    while batch := list(ImportRow.objects.filter(run=run, number__gt=after).exclude(problems=[], reason="")
                        .order_by("number").values_list("number", "problems", "action", "reason")[:1000]):
        for number, problems, action, reason in batch:
            for problem in problems:
                writer.writerow([number, problem["column"], problem["column_name"],
                                 kinds.get(problem["severity"], problem["severity"]), problem["message"]])
            if reason and action in (ImportRow.Action.CONFLICT, ImportRow.Action.ERROR) and not problems:
                writer.writerow([number, "", "", ImportRow.Action(action).label, reason])
        after = batch[-1][0]
        yield _drained(buffer)


def _drained(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


LIST_LIMIT = 200


def import_list(*, fetched_by: Any, limit: int = LIST_LIMIT) -> list[Import]:
    """The user's imports, newest first (administrators: everyone's, with their authors) — one query whatever the
    rows: the counts are the import's own columns."""
    found = Import.objects.all() if getattr(fetched_by, "is_admin", False) else own_imports(fetched_by)
    return list(found.select_related("author").order_by("-created_at", "-pk")[:limit])
