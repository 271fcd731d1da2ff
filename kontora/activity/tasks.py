"""Activity's background work: thin tasks, ids in, a service call inside."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from kontora.activity.services import cleanup
from kontora.core.services.jobs import JobContext


def tasks_cleanup_run(ctx: JobContext) -> dict[str, Any]:
    """The "tasks_cleanup" job (services.cleanup.tasks_cleanup_start): closed tasks before the cut-off deleted."""
    deleted = cleanup.tasks_cleanup(
        acting_user=ctx.job.created_by, cutoff=datetime.datetime.fromisoformat(str(ctx.params["cutoff"])),
        progress=ctx.progress, resume=ctx.checkpoint, checkpoint=ctx.checkpoint_save,
    )
    return {"summary": _("Closed tasks deleted: %(count)d.") % {"count": deleted}, "count": deleted}
