"""The import's background work: the writing job. Thin: ids in, the service inside; a cancelled or failed run is
rolled back by the same compensation as undo before the job records how it ended."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kontora.core.services.jobs import JobCancelled, JobContext, JobLost
from kontora.imports.models import Import
from kontora.imports.services import writing


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
        raise
    except Exception:
        writing.import_rollback(import_id=import_id, state=Import.State.FAILED)
        raise
    return {"summary": _("Clients created: %(created)d, updated: %(updated)d.") % counts}
