"""Step 1 and 2 of an import (IMP-01): the file read, mapped, cleaned and staged row by row; a user's fix of one
staged row, cleaned again by the same rules.

Rows are staged in batches, each its own short transaction (`LOAD_BATCH` rows: one INSERT), so loading 100,000 rows
never holds the base's one writer (SQLite) for more than a moment; the import's own row is written first, and a
load that fails half-way takes its rows back, leaving nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.services.inserts import rows_insert, table_analyze
from kontora.imports import locks
from kontora.imports.models import Import, ImportRow
from kontora.imports.policies import may_import
from kontora.imports.selectors import columns as c
from kontora.imports.selectors.cleaning import CURATOR_ID, STATUS_ID, CleanRow, Options, import_note, rows_clean
from kontora.imports.selectors.sheets import Row, table_open

LOAD_BATCH = 2000  # staged rows per INSERT and transaction
PREVIEW_ROWS = 5  # the file's first rows kept for the page's column mapping


def _nothing(done: int, total: int | None = None, message: str = "") -> None:
    """No job around: no progress to report."""


def not_allowed() -> NotAllowed:
    return NotAllowed(_("You do not have the right to import data."))


def staged_values(row: CleanRow, run_id: int) -> dict[str, Any]:
    """A cleaned row as its staged row's columns (attnames); the status's and the curator's ids in its values."""
    values: dict[str, Any] = dict(row.values)
    for key, found in ((STATUS_ID, row.status_id), (CURATOR_ID, row.curator_id)):
        if found is not None:
            values[key] = found
    return {"run_id": run_id, "number": row.number, "values": values, "region_id": row.region_id,
            "settlement_id": row.settlement_id, "has_errors": row.has_errors,
            "problems": [{"column": p.column, "column_name": p.column_name, "field": p.field, "message": p.message,
                          "severity": str(p.severity)} for p in row.problems]}


def staged(row: CleanRow, run_id: int) -> ImportRow:
    return ImportRow(**staged_values(row, run_id))


def import_load(
    *, acting_user: User, source: Any, filename: str = "", sheet: str | int | None = None,
    encoding: str | None = None, delimiter: str | None = None, mapping: Mapping[int, str] | None = None,
    header: bool | None = None, options: Options | None = None, imported_on: date | None = None,
    progress: Callable[..., None] = _nothing, upload: str = "",
) -> Import:
    """Reads an upload (`sheets.table_open`: its sheet, a CSV's encoding and delimiter), maps its columns (the
    user's `mapping` {column: field}, else the one proposed from the header or the manual's order; `header`: whether
    the first row is one, else guessed), cleans every row (`cleaning.rows_clean` with `options`) and stages them.

    Refused without the import right, for a file that cannot be read, a mapping that maps nothing or no name column
    (`columns.mapping_check`), or a file with no row under its header — with nothing written."""
    if not may_import(acting_user):
        raise not_allowed()
    options = options or Options()
    imported_on = imported_on or timezone.localdate()
    with table_open(source, filename=filename, sheet=sheet, encoding=encoding, delimiter=delimiter) as table:
        rows = table.rows()
        first = next(rows)  # table_open refuses a file without a filled cell
        guessed, proposed = c.mapping_propose(first.cells)
        header = guessed if header is None else header
        chosen = c.mapping_check(mapping if mapping is not None else proposed)
        headers = list(first.cells) if header else []
        data = rows if header else itertools.chain([first], rows)
        preview: list[list[str]] = []  # the first rows as read, for the page's mapping (no second read of the file)

        def sampled(source: Any) -> Any:
            for row in source:
                if len(preview) < PREVIEW_ROWS:
                    preview.append(list(row.cells))
                yield row

        data = sampled(data)
        with transaction.atomic():
            run = Import.objects.create(
                author=acting_user, filename=table.filename[:255], sheet=table.sheet[:255], encoding=table.encoding,
                delimiter=table.delimiter, options=dataclasses.asdict(options), headers=headers,
                mapping={str(column): key for column, key in chosen.items()}, upload=upload[:255],
            )
            audit_record(actor=acting_user, event="imports.import.load", target=run,
                         summary=_("Client list loaded for import: %(file)s") % {"file": run.filename})
        total = errors = 0
        try:
            cleaned = rows_clean(data, mapping=chosen, filename=run.filename, imported_on=imported_on,
                                 options=options, headers=headers or None)
            while batch := list(itertools.islice(cleaned, LOAD_BATCH)):
                with transaction.atomic():
                    rows_insert(ImportRow, [staged_values(row, run.pk) for row in batch])
                total += len(batch)
                errors += sum(1 for row in batch if row.has_errors)
                progress(total, None, _("Rows read: %(count)d") % {"count": total})
            if not total:
                raise Refused(_("The file has no rows to import under its header."))
        except BaseException:
            rows_forget(run.pk)
            raise
    with transaction.atomic():
        Import.objects.filter(pk=run.pk).update(rows_total=total, rows_with_errors=errors, preview=preview)
    table_analyze(ImportRow)  # the dry run reads these rows a batch at a time
    run.rows_total, run.rows_with_errors, run.preview = total, errors, preview
    return run


def rows_forget(run_id: int) -> None:
    """A load that failed, or an import deleted, leaves nothing: its rows a batch at a time, then the import (its
    audit rows stay)."""
    while ids := list(ImportRow.objects.filter(run_id=run_id).values_list("pk", flat=True)[:LOAD_BATCH]):
        with transaction.atomic():
            ImportRow.objects.filter(pk__in=ids).delete()
    with transaction.atomic():
        Import.objects.filter(pk=run_id).delete()


EDITABLE = (Import.State.LOADED, Import.State.CHECKED)


def own_import_locked(acting_user: User, import_id: int) -> Import:
    """The acting user's own import, its row locked (inside the caller's transaction): refused without the import
    right, and as not found for another's."""
    if not may_import(acting_user):
        raise not_allowed()
    run = locks.import_for_update(import_id)
    if run.author_id != acting_user.pk:
        raise NotAllowed
    return run


def import_row_edit(*, acting_user: User, import_id: int, number: int, values: Mapping[str, str]) -> ImportRow:
    """A user's fix of one staged row in the grid ({field key: text}; fields not given keep their value), cleaned
    again with the import's options, as if the file had said so. A checked import goes back to "loaded": its dry run
    must be done again before it runs. Refused once the import is running or over."""
    with transaction.atomic():
        run = own_import_locked(acting_user, import_id)
        if run.state not in EDITABLE:
            raise Refused(_("The import has started: its rows can no longer be changed."))
        row = ImportRow.objects.get(run=run, number=number)
        mapping = {int(column): key for column, key in run.mapping.items()}
        unknown = sorted(set(values) - set(mapping.values()))
        if unknown:
            raise Refused(_("Unknown field “%(field)s”.") % {"field": unknown[0]})
        options = Options(**run.options)
        # The local date the load wrote in the note (`timezone.localdate()`), not the UTC one: they differ at night.
        loaded_on = timezone.localdate(run.created_at)
        note = import_note(run.filename, loaded_on) if options.import_note else ""
        current = dict(row.values)
        current.update({key: str(value) for key, value in values.items()})
        # The note is added again by the cleaning: taken off the kept value and off the grid's posted one (a
        # one-line field, where its line break became nothing or a space).
        if note and current.get(c.NOTE, "").endswith(note):
            current[c.NOTE] = current[c.NOTE][: -len(note)].rstrip()
        cells = [""] * (max(mapping) + 1)
        for column, key in mapping.items():
            cells[column] = current.get(key, "")
        cleaned = next(rows_clean([Row(number, cells)], mapping=mapping, filename=run.filename,
                                  imported_on=loaded_on, options=options,
                                  headers=run.headers or None))
        fresh = staged(cleaned, run.pk)
        before = {"values": row.values, "problems": len(row.problems)}
        was_error = row.has_errors
        row.values, row.problems, row.has_errors = fresh.values, fresh.problems, fresh.has_errors
        row.region_id, row.settlement_id = fresh.region_id, fresh.settlement_id
        row.action, row.reason, row.client, row.changes = ImportRow.Action.UNDECIDED, "", None, []
        row.save(update_fields=["values", "problems", "has_errors", "region_id", "settlement_id", "action", "reason",
                                "client", "changes"])
        fields = ["rows_with_errors"]
        if was_error != row.has_errors:
            run.rows_with_errors = F("rows_with_errors") + (1 if row.has_errors else -1)
        if run.state == Import.State.CHECKED:
            run.state = Import.State.LOADED
            fields.append("state")
        run.save(update_fields=fields)
        audit_record(actor=acting_user, event="imports.row.edit", target=run,
                     summary=_("Row %(row)d of the import corrected") % {"row": number},
                     changes=[{"field": c.field_label(key) if key in c.BY_KEY else key,
                               "old": before["values"].get(key, ""), "new": row.values.get(key, "")}
                              for key in values if before["values"].get(key, "") != row.values.get(key, "")])
    return row
