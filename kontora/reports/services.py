"""Writes of the reports: a big report's file handed to a job (its progress shown where the user asked for it, its
file collected from the job's page or «Мои задания»), and such files deleted a week later."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.core.audit import audit_record
from kontora.core.models import Job
from kontora.core.permissions import Actor
from kontora.core.services.jobs import job_start
from kontora.core.services.storage import stored_delete_later
from kontora.reports.framework.base import Report
from kontora.reports.framework.render import Format

FILE_JOB = "report_file"
FILES_KEPT = datetime.timedelta(days=7)
PRUNE_BATCH = 500  # files one pass deletes; the next hour's takes the rest


def report_file_start(*, acting_user: Actor, report: Report, query: dict[str, list[str]], chosen: Format) -> Job:
    """Queues the job that writes the report's file for the parameters `query` (as asked: name → values); the job
    builds the report again as its author, so the file holds what he may see when it runs."""
    title = _("%(report)s: %(format)s") % {"report": report.title, "format": chosen.label}
    return job_start(acting_user=acting_user, kind=FILE_JOB, title=title,
                     params={"report": report.slug, "query": query, "format": chosen.code})


def report_files_prune(*, now: datetime.datetime | None = None) -> int:
    """Report files collected or not for FILES_KEPT go (after any backup that may still copy them): their jobs stay
    in the list, saying the file was deleted. Returns how many went."""
    cutoff = (now or timezone.now()) - FILES_KEPT
    gone = 0
    for job in Job.objects.filter(kind=FILE_JOB, status=Job.Status.DONE, finished_at__lt=cutoff,
                                  result__has_key="_file").only("pk", "result")[:PRUNE_BATCH]:
        with transaction.atomic():
            stored_delete_later([str(job.result["_file"])])
            job.result = {"summary": _("The file was deleted %(days)s days after it was prepared.") % {
                "days": FILES_KEPT.days}}
            job.save(update_fields=["result"])
            audit_record(actor=None, event="reports.file.prune", target=job, summary=_("Report file deleted"))
        gone += 1
    return gone
