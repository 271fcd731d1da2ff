"""Writes of the reports: a big report's file handed to a job (its progress shown where the user asked for it, its
file collected from the job's page or «Мои задания»)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kontora.core.models import Job
from kontora.core.permissions import Actor
from kontora.core.services.jobs import job_start
from kontora.reports.framework.base import Report
from kontora.reports.framework.render import Format

FILE_JOB = "report_file"


def report_file_start(*, acting_user: Actor, report: Report, query: dict[str, list[str]], chosen: Format) -> Job:
    """Queues the job that writes the report's file for the parameters `query` (as asked: name → values); the job
    builds the report again as its author, so the file holds what he may see when it runs."""
    title = _("%(report)s: %(format)s") % {"report": report.title, "format": chosen.label}
    return job_start(acting_user=acting_user, kind=FILE_JOB, title=title,
                     params={"report": report.slug, "query": query, "format": chosen.code})
