"""Step 3's dry run (IMP-04): every staged row decided — create, update, skip, conflict or error — against the base,
and for an update which fields of which client would change, old → new. Nothing of the clients is written: only
the staged rows' decisions, a batch per short transaction.

Matching is by one key per run (INN+KPP, INN, the normalised phone, the e-mail or the name) among every client of
the base, so that a row matching a client the importing user may not open is not taken for a new client: it is a
conflict, reported without anything of that client (`clients.selectors.imports.matched`). Two rows of the file
with the same key are one client: the later one is skipped, naming the earlier.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients.models import ContactPerson
from kontora.clients.selectors import imports as matching
from kontora.clients.selectors.duplicates import phone_keys
from kontora.core.audit import audit_record, field_label
from kontora.core.errors import Refused
from kontora.core.services.inserts import rows_update, table_analyze
from kontora.core.text import search_key
from kontora.directories.models import ClientStatus, Priority
from kontora.imports import locks
from kontora.imports.models import Import, ImportRow
from kontora.imports.policies import may_import
from kontora.imports.selectors import columns as c
from kontora.imports.selectors.runs import field_names, row_contact, row_target
from kontora.imports.services.loading import EDITABLE, not_allowed, own_import_locked

CHECK_BATCH = 1000  # rows decided per transaction: one matching query per batch


def _nothing(done: int, total: int | None = None, message: str = "") -> None:
    """No job around: no progress to report."""


def row_key(key: str, values: dict[str, str]) -> str:
    """The row's value of the match key, as `matching.matched` compares it ("" when the row has none)."""
    if key == Import.MatchKey.INN_KPP:
        return f"{values[c.INN]}/{values.get(c.KPP, '')}" if values.get(c.INN) else ""
    if key == Import.MatchKey.INN:
        return values.get(c.INN, "")
    if key == Import.MatchKey.PHONE:
        numbers = phone_keys(values.get(c.PHONE, ""))
        return numbers[0] if numbers else ""
    if key == Import.MatchKey.EMAIL:
        return values.get(c.EMAIL, "").strip().lower()
    if key == Import.MatchKey.NAME:
        return search_key(values.get(c.SHORT_NAME, ""))
    return ""


def import_check(
    *, acting_user: User, import_id: int, match_key: str = "", on_match: str = Import.OnMatch.UPDATE,
    status_id: int | None = None, priority_id: int | None = None, progress: Callable[..., None] = _nothing,
) -> Import:
    """The dry run: decides every staged row with the run's options (the match key, what a matching row does, the
    status and priority given to new clients) and counts the decisions. Changes nothing in the clients."""
    if not may_import(acting_user):
        raise not_allowed()
    if match_key not in Import.MatchKey.values or on_match not in Import.OnMatch.values:
        raise Refused(_("Choose how rows are matched with clients."))
    with transaction.atomic():
        run = own_import_locked(acting_user, import_id)
        if run.state not in (*EDITABLE, Import.State.CHECKING):
            raise Refused(_("The import has started: it can no longer be checked again."))
        run.status = ClientStatus.objects.filter(pk=status_id).first() if status_id else None
        run.priority = Priority.objects.filter(pk=priority_id).first() if priority_id else None
        run.match_key, run.on_match, run.state = match_key, on_match, Import.State.CHECKING
        run.save(update_fields=["status", "priority", "match_key", "on_match", "state"])
    counts = {action: 0 for action in ImportRow.Action.values}
    first_of: dict[str, int] = {}  # a key's first row in the file that creates a client
    after = 0
    names = field_names()
    while batch := list(ImportRow.objects.filter(run=run, number__gt=after).order_by("number")[:CHECK_BATCH]):
        keys = {row.pk: row_key(run.match_key, row.values) for row in batch}
        found = matching.matched(acting_user, run.match_key, keys.values()) if run.match_key else {}
        for row in batch:
            _decide(run, row, keys[row.pk], found, first_of, names)
            counts[row.action] += 1
        with transaction.atomic():
            rows_update(ImportRow, batch, ("action", "reason", "client", "changes"))
        after = batch[-1].number
        progress(sum(counts.values()), run.rows_total, _("Rows checked"))
    table_analyze(ImportRow)  # every row's action changed: the writing job reads them by it
    with transaction.atomic():
        run = locks.import_for_update(import_id)
        run.state, run.checked_at = Import.State.CHECKED, timezone.now()
        run.to_create, run.to_update = counts[ImportRow.Action.CREATE], counts[ImportRow.Action.UPDATE]
        run.to_skip, run.conflicts = counts[ImportRow.Action.SKIP], counts[ImportRow.Action.CONFLICT]
        run.save(update_fields=["state", "checked_at", "to_create", "to_update", "to_skip", "conflicts"])
        audit_record(actor=acting_user, event="imports.import.check", target=run,
                     summary=_("Import checked: %(file)s") % {"file": run.filename},
                     extra={"match_key": run.match_key, **{key or "undecided": value for key, value in counts.items()}})
    return run


def _decide(run: Import, row: ImportRow, key: str, found: dict[str, list[matching.Match]],
            first_of: dict[str, int], names: Any) -> None:
    row.client, row.changes, row.reason = None, [], ""
    if row.has_errors:
        row.action = ImportRow.Action.ERROR
        row.reason = next(p["message"] for p in row.problems if p["severity"] == "error")
        return
    if key and key in first_of:
        row.action = ImportRow.Action.SKIP
        row.reason = _("The same client as row %(row)d of the file.") % {"row": first_of[key]}
        return
    matches = found.get(key, []) if key else []
    if not matches:
        row.action = ImportRow.Action.CREATE
        if key:
            first_of[key] = row.number
        return
    if not all(match.opens for match in matches):
        row.action = ImportRow.Action.CONFLICT
        row.reason = _("The row matches a client you may not open: it is left as it is.")
        return
    if len(matches) > 1:
        row.action = ImportRow.Action.CONFLICT
        row.reason = _("The row matches %(count)d clients: correct it or choose another key.") % {
            "count": len(matches)}
        return
    match = matches[0]
    row.client_id = match.client_id
    if run.on_match == Import.OnMatch.SKIP:
        row.action, row.reason = ImportRow.Action.SKIP, _("The client is already in the base.")
        return
    assert match.values is not None
    target = row_target(run, row, current=match.values)
    changed = {name: value for name, value in target.items() if (match.values.get(name) or "") != (value or "")}
    plan = matching.contact_plan(row_contact(row), match.contacts)
    if not changed and plan is None:
        row.action, row.reason = ImportRow.Action.SKIP, _("The client already has these values.")
        return
    if match.is_private and changed.get("curator_id") == run.author_id:
        # The card's rule (clients.access.takes_private): nobody makes himself the curator of another's private
        # client; the write refuses it too, this tells the user before.
        row.action, row.client_id = ImportRow.Action.CONFLICT, None
        row.reason = _("This client is another user's private client: you cannot become its curator.")
        return
    main = any(name not in ("notes", "status_id", "priority_id") for name in changed)
    if not (match.edits_main if main else match.edits):
        row.action, row.client_id = ImportRow.Action.CONFLICT, None
        row.reason = _("The row matches a client whose data you may not change: it is left as it is.")
        return
    row.action = ImportRow.Action.UPDATE
    row.changes = [{"field": name, "label": names.label(name), "old": names.shown(name, match.values.get(name)),
                    "new": names.shown(name, value)} for name, value in changed.items()]
    if plan is not None:
        row.changes += _contact_changes(plan)


def _contact_changes(plan: matching.ContactPlan) -> list[dict[str, str]]:
    """The dry run's lines of a contact person: «Контактное лицо: — → Иванов Иван» for one added, a line per field
    filled in the namesake's card («Контактное лицо Иванов Иван: E-mail: — → …»)."""
    label = str(capfirst(ContactPerson._meta.verbose_name))
    if plan.contact_id is None:
        return [{"field": "contact", "label": label, "old": "", "new": plan.full_name}]
    return [{"field": f"contact.{name}", "label": f"{label} {plan.full_name}: {field_label(ContactPerson, name)}",
             "old": "", "new": value} for name, value in plan.filled.items()]
