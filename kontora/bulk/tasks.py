"""Group processing's background work: the run's job. Thin: ids in, the service inside."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kontora.bulk.services import runs
from kontora.core.services.jobs import JobContext


def bulk_run_job(ctx: JobContext) -> dict[str, Any]:
    """The "bulk_run" job (services.runs.bulk_run_start): every client of the frozen selection, from the
    checkpoint on."""
    run_id = int(ctx.params["run"])
    counts = runs.bulk_run_apply(run_id=run_id, progress=ctx.progress, resume=ctx.checkpoint,
                                 checkpoint=ctx.checkpoint_save)
    return {"summary": _("Changed: %(changed)d, nothing to change: %(unchanged)d, skipped: %(skipped)d, errors: "
                         "%(failed)d.") % counts, "url": reverse("bulk:run", args=[run_id])}
