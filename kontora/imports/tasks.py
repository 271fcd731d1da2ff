"""The import's background work: the load, the dry run, the writing job and undo, and the hourly clean-up of kept
files of imports left untouched. Thin: ids in, the service inside; a cancelled or failed run is rolled back by the
same compensation as undo before the job records how it ended."""

from __future__ import annotations

import logging
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from huey import crontab

from kontora.core.services.jobs import JobCancelled, JobContext, JobLost
from kontora.core.tasks import periodic
from kontora.imports.models import Import
from kontora.imports.services import checking, loading, uploads, writing

log = logging.getLogger("kontora.imports")


def import_write_job(ctx: JobContext) -> dict[str, Any]:
    """The "imports_write" job (services.writing.import_start): the checked rows from the checkpoint on."""
    import_id = int(ctx.params["import"])
    try:
        counts = writing.import_write(import_id=import_id, progress=ctx.progress, resume=ctx.checkpoint,
                                      checkpoint=ctx.checkpoint_save)
    except JobLost:
        raise  # another run has the job: it goes on, nothing is taken back here
    except JobCancelled:
        writing.import_rollback(import_id=import_id, state=Import.State.CANCELLED)
        uploads.import_upload_forget(import_id=import_id)
        raise
    except Exception:
        writing.import_rollback(import_id=import_id, state=Import.State.FAILED)
        uploads.import_upload_forget(import_id=import_id)
        raise
    uploads.import_upload_forget(import_id=import_id)  # written: the file is never read again
    return {"summary": _("Clients created: %(created)d, updated: %(updated)d.") % counts,
            "url": reverse("imports:detail", args=[import_id])}


def _author(ctx: JobContext) -> Any:
    """The user who started the job: every step is his (the services check his right again)."""
    author = ctx.job.created_by
    if author is None:
        raise ValueError("an import job without its author")
    return author


def import_load_job(ctx: JobContext) -> dict[str, Any]:
    """The "imports_load" job (services.uploads): the kept file read, cleaned and staged with the user's choices;
    a load again replaces the import it was asked from."""
    from kontora.core.services.storage import stored_open
    from kontora.imports.selectors.cleaning import Options

    params = ctx.params
    name = uploads.upload_name(str(params["file"]))
    mapping = params.get("mapping")
    options = params.get("options")
    kept = stored_open(name)
    try:
        with kept.stream as stream:
            run = loading.import_load(
                acting_user=_author(ctx), source=stream, filename=str(params["filename"]),
                sheet=params.get("sheet") or None, encoding=params.get("encoding") or None,
                delimiter=params.get("delimiter") or None, header=params.get("header"),
                mapping={int(column): key for column, key in mapping.items()} if mapping else None,
                options=Options(**options) if options else None, progress=ctx.progress, upload=name)
    except JobLost:
        raise
    except Exception:
        if not params.get("replaces"):  # a first load that failed: no import will read the file
            uploads.upload_discard(name)
        raise
    if params.get("replaces"):
        writing.import_cancel(acting_user=_author(ctx), import_id=int(params["replaces"]))
    return {"summary": _("Rows loaded: %(total)d, with errors: %(errors)d.")
            % {"total": run.rows_total, "errors": run.rows_with_errors},
            "url": reverse("imports:detail", args=[run.pk])}


def import_check_job(ctx: JobContext) -> dict[str, Any]:
    """The "imports_check" job: the dry run."""
    params = ctx.params
    run = checking.import_check(
        acting_user=_author(ctx), import_id=int(params["import"]), match_key=str(params["match_key"]),
        on_match=str(params["on_match"]), status_id=params.get("status"), priority_id=params.get("priority"),
        progress=ctx.progress)
    return {"summary": _("To create: %(create)d, to update: %(update)d, skipped: %(skip)d, conflicts: %(conflicts)d.")
            % {"create": run.to_create, "update": run.to_update, "skip": run.to_skip, "conflicts": run.conflicts},
            "url": reverse("imports:detail", args=[run.pk])}


def import_undo_job(ctx: JobContext) -> dict[str, Any]:
    """The "imports_undo" job: the import taken back as a whole, or refused naming the clients changed since; a run
    cut short goes on from its checkpoint to the end."""
    run = writing.import_undo(acting_user=_author(ctx), import_id=int(ctx.params["import"]), resume=ctx.checkpoint,
                              checkpoint=ctx.checkpoint_save)
    summary = _("The import is undone.")
    if run.kept:
        summary += " " + _("Clients changed during the undo were left as they are: %(count)d.") % {
            "count": len(run.kept)}
    return {"summary": summary, "url": reverse("imports:detail", args=[run.pk])}


@periodic(crontab(minute="29"))
def import_uploads_expire() -> None:
    """Hourly: the kept files of imports untouched for IMPORT_UPLOAD_KEEP_DAYS leave the storage."""
    removed = uploads.import_uploads_expire()
    if removed:
        log.info("%d kept import files of idle imports removed", removed)
