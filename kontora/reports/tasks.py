"""The reports' background work: a big report's file written by a job (services.report_file_start)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from huey import crontab

from kontora.core.errors import Refused
from kontora.core.selectors.calendar import user_zone
from kontora.core.services.jobs import JobContext
from kontora.core.services.storage import stored_save
from kontora.core.tasks import periodic
from kontora.reports.framework.render import file_name, formats
from kontora.reports.framework.result import Result, Section
from kontora.reports.hooks import REPORTS
from kontora.reports.services import report_files_prune

PROGRESS_ROWS = 200  # rows between progress calls (each reads the cancel flag)


def report_file_run(ctx: JobContext) -> dict[str, Any]:
    """Builds the report as its author, on his clock, and writes the chosen format into storage; the result links
    to the file (`reports:job_file`), which only the author may download."""
    user = ctx.job.created_by
    if user is None:
        raise ValueError(_("The user who asked for the report no longer exists."))
    slug, chosen = ctx.params["report"], formats().get(ctx.params["format"])
    if slug not in REPORTS or chosen is None or not REPORTS.get(slug).available(user):
        raise ValueError(_("This report is not available to you."))
    definition = REPORTS.get(slug)
    form = definition.form(user, QueryDict(urlencode(ctx.params["query"], doseq=True)))
    if not form.is_valid():
        raise ValueError(_("The report's parameters are no longer valid: %(errors)s") % {
            "errors": "; ".join(f"{form.fields[name].label if name in form.fields else ''}: {error}".lstrip(": ")
                                for name, errors in form.errors.items() for error in errors)})
    with timezone.override(user_zone(user)):
        ctx.progress(0, None, _("Reading the rows"))
        result = _counted(definition.build(user, form), ctx)
        with tempfile.TemporaryFile() as target:
            try:
                extension = chosen.write(result, target) or chosen.extension
            except Refused as refusal:
                raise ValueError(str(refusal)) from None
            target.seek(0)
            name = file_name(result, extension)
            stored = f"reports/{ctx.job.pk}/{name}"
            stored_save(stored, target)
    return {"summary": _("The file is ready: %(name)s") % {"name": name},
            "url": reverse("reports:job_file", args=[ctx.job.pk]), "_file": stored, "_name": name}


def _counted(result: Result, ctx: JobContext) -> Result:
    """The result whose rows report the job's progress as the renderer reads them."""
    read = 0

    def rows(section: Section) -> Iterator[Sequence[Any]]:
        nonlocal read
        for row in section.rows:
            read += 1
            if read % PROGRESS_ROWS == 0:
                ctx.progress(read, result.rows, _("Reading the rows"))
            yield row
        ctx.progress(read, result.rows, _("Writing the file"))

    return replace(result, sections=[Section(section.label, rows(section)) for section in result.sections])


@periodic(crontab(minute="41"))
def report_files_prune_periodic() -> None:
    report_files_prune()
