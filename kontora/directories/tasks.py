"""Job handlers of directories: thin, the work is a service's."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kontora.core.services.jobs import JobContext
from kontora.directories.services import banks as bank_services
from kontora.directories.services import oktmo as oktmo_services


def banks_import_run(ctx: JobContext) -> dict[str, Any]:
    """The "banks_import" job: imports the file kept by `banks_import_start`; the summary for the job's page."""
    try:
        done = bank_services.banks_import(
            acting_user=ctx.job.created_by, file=str(ctx.params["file"]), progress=ctx.progress,
            resume=ctx.checkpoint, checkpoint=ctx.checkpoint_save,
        )
    except ValidationError as exc:
        # The job's page shows the reason as it is, not as a list.
        raise ValueError(" ".join(exc.messages)) from exc
    return {
        "summary": _("Banks in the file: %(total)d; added: %(created)d; changed: %(updated)d; "
                     "no longer listed, made inactive: %(gone)d.")
        % {"total": done.total, "created": done.created, "updated": done.updated, "gone": done.deactivated},
    }


def settlements_import_run(ctx: JobContext) -> dict[str, Any]:
    """The "settlements_import" job: imports the OKTMO file kept by `settlements_import_start`; each skipped row
    becomes one of the job's errors (with its line), the counts its summary."""
    try:
        done = oktmo_services.settlements_import(
            acting_user=ctx.job.created_by, file=str(ctx.params["file"]), progress=ctx.progress,
            resume=ctx.checkpoint, checkpoint=ctx.checkpoint_save,
        )
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc
    for line in oktmo_services.bad_rows(done):
        ctx.error(line)
    return {
        "summary": _("Populated places in the file: %(total)d; added: %(created)d; changed: %(updated)d; of regions "
                     "the directory does not list: %(unknown)d; rows skipped: %(bad)d.")
        % {"total": done.total, "created": done.created, "updated": done.updated, "unknown": done.unknown_region,
           "bad": len(done.bad)},
    }
