"""Step 3 of an import (IMP-03, IMP-04): the checked rows written as a job, in batches, and taken back — by undo,
or by the rollback of a cancelled or failed run.

Batches, not one long transaction: one write transaction of 100,000 rows would block every other writer of the
office for a minute on SQLite and hold the client-code allocator on PostgreSQL. `import_write` writes
`IMPORT_BATCH_ROWS` rows (a few hundred) per short transaction through the clients' own batch services
(`clients.services.imports`), each batch tagged with the import (its clients' history rows name it), the staged rows
marked with what was written and the job's checkpoint saved in the same transaction: a run taken over after a crash
goes on after the last committed batch and writes no row twice. On SQLite the run leaves the writer free for a
moment between batches, so another user's card save waits at most one batch.

Taking back (`import_undo`, `import_rollback`) deletes the clients the import created and gives the ones it updated
their old values, a batch per transaction — only clients nothing else touched since: a later history row about
the client that is not this import's (a card save, an event, a task, a file) or rows another app keeps about a
created client (`clients.hooks.CLIENT_ROWS`). Undo refuses as a whole and lists them; a rollback takes back the
rest and keeps them, listed on the import (`kept`).

An undo never stops half-way: it checks every client before taking anything back (refused as a whole, nothing
changed), and once past that check it runs to the end. A client touched in the moment between that check and its
own batch (each batch asks again under the clients' locks) is left as it is now and named on the undone import
(`kept`: «не возвращены — изменены во время отмены»); every other client is taken back. An undo job cut short (its
worker died) is run again from its checkpoint and finishes the same way, without the first check: it has begun.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kontora.accounts.models import User
from kontora.clients.access import openable_clients
from kontora.clients.selectors.imports import clients_touched
from kontora.clients.services import imports as client_imports
from kontora.core.audit import audit_record
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import Job
from kontora.core.services.inserts import rows_update
from kontora.core.services.jobs import job_cancel, job_start
from kontora.imports import locks
from kontora.imports.models import Import, ImportRow
from kontora.imports.policies import may_import
from kontora.imports.selectors.runs import row_contact, row_target
from kontora.imports.services.loading import not_allowed, own_import_locked

IMPORT_JOB = "imports_write"
# How long a run leaves SQLite's one writer free between two batches (several of core.sqlite's tries).
WRITER_GAP_S = 0.001
WRITTEN = (ImportRow.Action.CREATE, ImportRow.Action.UPDATE)
LISTED = 20  # clients named in a refused undo's message


def batch_rows() -> int:
    return max(1, int(getattr(settings, "IMPORT_BATCH_ROWS", 500)))


def _nothing_saved(state: dict[str, Any]) -> None:
    """No job around (a direct call): nothing to checkpoint."""


def _nothing(done: int, total: int | None = None, message: str = "") -> None:
    """No job around: no progress to report."""


def _gap() -> None:
    if connection.vendor == "sqlite":
        # SQLite has one writer, and a session waiting for it tries again every half millisecond (core.sqlite): a
        # short gap lets it in before the run takes the lock back for its next batch.
        time.sleep(WRITER_GAP_S)


def import_start(*, acting_user: User, import_id: int) -> Import:
    """Starts writing a checked import as a job (its progress and cancel on the job's page). Refused before the dry
    run, after an edit that needs it again, or with nothing to write."""
    with transaction.atomic():
        run = own_import_locked(acting_user, import_id)
        if run.state != Import.State.CHECKED:
            raise Refused(_("Check the import first: its dry run shows what will be written."))
        if not (run.to_create or run.to_update):
            raise Refused(_("Nothing to import: every row is skipped, in conflict or wrong."))
        run.state, run.started_at = Import.State.RUNNING, timezone.now()
        run.job = job_start(acting_user=acting_user, kind=IMPORT_JOB, params={"import": run.pk},
                            title=_("Import of clients from %(file)s") % {"file": run.filename})
        run.save(update_fields=["state", "started_at", "job"])
        audit_record(actor=acting_user, event="imports.import.start", target=run,
                     summary=_("Import started: %(file)s") % {"file": run.filename},
                     extra={"create": run.to_create, "update": run.to_update})
    return run


def import_write(
    *, import_id: int, progress: Callable[..., None] = _nothing, resume: dict[str, Any] | None = None,
    checkpoint: Callable[[dict[str, Any]], None] = _nothing_saved,
) -> dict[str, int]:
    """The job's work: the rows to create or update after the checkpoint's row, a batch per transaction with the
    checkpoint. Returns the counts written so far (the whole run's)."""
    run = Import.objects.select_related("author").get(pk=import_id)
    if run.state != Import.State.RUNNING:
        return {"created": run.created, "updated": run.updated}  # a message delivered again after the end
    author = run.author
    summary = _("Imported from %(file)s") % {"file": run.filename}
    after = int((resume or {}).get("after", 0))
    total = run.to_create + run.to_update
    message = _("Writing clients")
    done = ImportRow.objects.filter(run=run, action__in=WRITTEN, number__lte=after).count() if after else 0
    progress(done, total, message)
    size = batch_rows()
    known: client_imports.Known = {}  # the directory rows the batches named, read once a run
    # Rows already written are passed over too: the checkpoint is the resume point, this the guarantee.
    # Not the rows' problems and dry-run changes: JSON read for nothing, a hundred thousand times.
    while batch := list(ImportRow.objects.filter(run=run, action__in=WRITTEN, number__gt=after, written__isnull=True)
                        .defer("problems", "changes").order_by("number")[:size]):
        with transaction.atomic():
            _batch_write(run, author, batch, summary, known)
            after = batch[-1].number
            checkpoint({"after": after})
        done += len(batch)
        _gap()
        progress(done, total, message)  # also where a cancel is heard
    with transaction.atomic():
        run = locks.import_for_update(import_id)
        if run.state == Import.State.RUNNING:
            run.state, run.finished_at = Import.State.DONE, timezone.now()
            run.save(update_fields=["state", "finished_at"])
            audit_record(actor=author, event="imports.import.done", target=run,
                         summary=_("Import finished: %(file)s") % {"file": run.filename},
                         extra={"created": run.created, "updated": run.updated})
    return {"created": run.created, "updated": run.updated}


def _batch_write(run: Import, author: User, batch: list[ImportRow], summary: str,
                 known: client_imports.Known) -> None:
    creates = [client_imports.ImportedClient(key=row.number, values=row_target(run, row), contact=row_contact(row))
               for row in batch if row.action == ImportRow.Action.CREATE]
    client_ids = [row.client_id for row in batch if row.action == ImportRow.Action.UPDATE and row.client_id]
    current = dict(openable_clients(author).filter(pk__in=client_ids).values_list("pk", "notes"))
    updates = [client_imports.ImportedClient(key=row.number, client_id=row.client_id, contact=row_contact(row),
                                             values=row_target(run, row, current={"notes": current[row.client_id]}))
               for row in batch if row.action == ImportRow.Action.UPDATE and row.client_id in current]
    made = client_imports.clients_import_create(acting_user=author, rows=creates, tag=run, summary=summary,
                                                known=known)
    changed = client_imports.clients_import_update(acting_user=author, rows=updates, tag=run, summary=summary,
                                                   known=known)
    for row in batch:
        written = made if row.action == ImportRow.Action.CREATE else changed
        if row.number in written.clients:
            row.written_id, row.old = written.clients[row.number], written.old.get(row.number)
        else:
            row.action = ImportRow.Action.ERROR
            row.reason = (written.refused.get(row.number) or _("You may no longer open this client."))[:500]
    rows_update(ImportRow, batch, ("written", "old", "action", "reason"))
    Import.objects.filter(pk=run.pk).update(created=F("created") + len(made.clients),
                                            updated=F("updated") + len(changed.clients))


def import_cancel(*, acting_user: User, import_id: int) -> Import:
    """Cancels a running import: its job stops at the next batch and takes back what it wrote (the rollback). A
    loaded or checked import is simply dropped from the steps (cancelled, nothing was written)."""
    with transaction.atomic():
        run = locks.import_for_update(import_id)
        if run.author_id != acting_user.pk:
            raise NotAllowed
        if run.state in (Import.State.LOADED, Import.State.CHECKED, Import.State.CHECKING):
            run.state, run.finished_at = Import.State.CANCELLED, timezone.now()
            run.save(update_fields=["state", "finished_at"])
        elif run.state != Import.State.RUNNING or run.job_id is None:
            raise Refused(_("The import is over: undo it instead."))
        audit_record(actor=acting_user, event="imports.import.cancel", target=run,
                     summary=_("Import cancelled: %(file)s") % {"file": run.filename})
    if run.state == Import.State.RUNNING and run.job_id is not None:
        job = job_cancel(acting_user=acting_user, job_id=run.job_id)
        if job.status == Job.Status.CANCELLED:
            # Cancelled before a worker took it: no handler runs to roll back, and nothing was written.
            return import_rollback(import_id=run.pk, state=Import.State.CANCELLED)
        run.refresh_from_db()
    return run


def import_rollback(*, import_id: int, state: str) -> Import:
    """The compensation of a cancelled or failed run (the job's handler calls it): what was written is taken back as
    undo would, except the clients touched since, which are kept and listed on the import."""
    run = Import.objects.select_related("author").get(pk=import_id)
    kept = _take_back(run, run.author, refuse=False)
    with transaction.atomic():
        run = locks.import_for_update(import_id)
        run.state, run.finished_at, run.kept = state, timezone.now(), kept
        run.save(update_fields=["state", "finished_at", "kept"])
        audit_record(actor=run.author, event="imports.import.rollback", target=run,
                     summary=_("Import rolled back: %(file)s") % {"file": run.filename}, extra={"kept": len(kept)})
    return run


def _undoable(run: Import) -> bool:
    if run.state == Import.State.DONE:
        return True
    # A run whose job ended without its handler (its worker died past the attempts allowed) is rolled back by undo.
    return run.state == Import.State.RUNNING and run.job is not None and run.job.status in (
        Job.Status.FAILED, Job.Status.CANCELLED)


def import_undo(
    *, acting_user: User, import_id: int, resume: dict[str, Any] | None = None,
    checkpoint: Callable[[dict[str, Any]], None] = _nothing_saved,
) -> Import:
    """Undoes a finished import as a whole: the clients it created are deleted, the ones it updated get their old
    values back — only if none of them was touched since (refused, listing them, and nothing is changed).

    Past that check the undo always finishes (see the module's note): a client touched while it runs is kept and
    listed in `kept`. `resume` (the job's checkpoint of a run cut short) goes on without the check; `checkpoint` is
    saved with each batch."""
    if not may_import(acting_user):
        raise not_allowed()
    run = Import.objects.select_related("job", "author").filter(pk=import_id).first()
    if run is None or run.author_id != acting_user.pk:
        raise NotAllowed
    if not _undoable(run):
        raise Refused(_("Only a finished import can be undone."))
    kept = _take_back(run, acting_user, refuse=not (resume or {}).get("begun"), checkpoint=checkpoint)
    with transaction.atomic():
        run = locks.import_for_update(import_id)
        run.state, run.kept = Import.State.UNDONE, kept
        run.save(update_fields=["state", "kept"])
        audit_record(actor=acting_user, event="imports.import.undo", target=run,
                     summary=_("Import undone: %(file)s") % {"file": run.filename}, extra={"kept": len(kept)})
    return run


def _written(run: Import, rows: Any = None) -> tuple[list[int], dict[int, dict[str, Any]]]:
    rows = rows if rows is not None else ImportRow.objects.filter(run=run, written__isnull=False)
    created = [pk for pk, action, _old in rows.values_list("written_id", "action", "old") if action == "create"]
    updated = {pk: old for pk, action, old in rows.values_list("written_id", "action", "old")
               if action == "update" and old is not None}
    return created, updated


def _take_back(run: Import, acting_user: User, *, refuse: bool,
               checkpoint: Callable[[dict[str, Any]], None] = _nothing_saved) -> list[dict[str, Any]]:
    """Deletes the created clients and restores the updated ones, a batch per transaction; returns the clients kept
    as touched since ([{"client", "reason"}]). With `refuse`, any touched client refuses it all first. A client of
    a batch touched since the first question is kept, its batch's others taken back: the run always goes to its end.
    Rows taken back forget their client, so a run again (a resume) meets only the kept rows and those not reached."""
    created, updated = _written(run)
    touched = clients_touched(tag=run, created=created, updated=list(updated))
    if touched and refuse:
        raise Refused(_touched_message(acting_user, touched))
    summary = _("Import undone: %(file)s") % {"file": run.filename}
    size = batch_rows()
    after = 0
    while batch := list(ImportRow.objects.filter(run=run, written__isnull=False, number__gt=after)
                        .order_by("number")[:size]):
        after = batch[-1].number
        with transaction.atomic():
            ids = [row.pk for row in batch]
            created, updated = _written(run, ImportRow.objects.filter(pk__in=ids))
            # Asked again inside the batch: a client touched since the first question is kept, not taken back.
            touched.update(clients_touched(tag=run, created=created, updated=list(updated), within=True))
            client_imports.clients_import_remove(
                acting_user=acting_user, client_ids=[pk for pk in created if pk not in touched], tag=run,
                summary=summary)
            client_imports.clients_import_restore(
                acting_user=acting_user, old={pk: old for pk, old in updated.items() if pk not in touched}, tag=run,
                summary=summary)
            ImportRow.objects.filter(pk__in=ids).exclude(written_id__in=list(touched)).update(written=None, old=None)
            checkpoint({"begun": True, "after": after})
        _gap()
    return [{"client": pk, "reason": ", ".join(reasons)} for pk, reasons in sorted(touched.items())]


def _touched_message(user: User, touched: dict[int, list[str]]) -> str:
    shown = {pk: f"{code} · {name}" for pk, code, name in openable_clients(user).filter(
        pk__in=list(touched)[:LISTED]).values_list("pk", "code", "short_name")}
    lines = [f"{shown.get(pk, str(pk))} ({', '.join(reasons)})" for pk, reasons in list(touched.items())[:LISTED]]
    more = len(touched) - len(lines)
    text = ngettext(
        "The import cannot be undone: %(count)d client was changed since or has records of its own: %(list)s.",
        "The import cannot be undone: %(count)d clients were changed since or have records of their own: %(list)s.",
        len(touched)) % {"count": len(touched), "list": "; ".join(lines)}
    if more > 0:
        text += " " + _("…and %(count)d more.") % {"count": more}
    return text
