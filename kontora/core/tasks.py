"""Periodic and background jobs of the core app."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kontora.core.services import jobs as job_services
from kontora.core.services.jobs import JobContext
from kontora.core.services.periodic import periodic_claim

log = logging.getLogger("kontora.backup")


def periodic(validate: Callable[[datetime], bool]) -> Callable[[Callable[[], None]], Any]:
    """`db_periodic_task` that runs once per scheduled minute however many workers run: every worker's scheduler
    enqueues it, and only the run that claims (task, minute) in the base does the work (services.periodic)."""

    def decorate(function: Callable[[], None]) -> Any:
        name = f"{function.__module__}.{function.__name__}"

        @functools.wraps(function)
        def once() -> None:
            if periodic_claim(task=name, validate=validate):
                function()

        return db_periodic_task(validate)(once)

    return decorate


@db_task()
def run_job(job_id: int) -> None:
    """Runs one queued Job (see services.jobs); started by job_start on commit."""
    job_services.job_run(job_id=job_id)


def backup_job(ctx: JobContext) -> dict[str, Any]:
    """Administration → Backups → "Create backup now"."""
    from kontora.core.backup import archive_missing_files, backup_create

    path = backup_create(progress=ctx.progress)
    size = path.stat().st_size
    summary = _("Archive %(name)s is ready (%(size)s).") % {"name": path.name, "size": filesizeformat(size)}
    missing = archive_missing_files(path)
    if missing:  # lost before this backup; the archive says so and a restore lists them
        lost = _("Attached files named by the base but already missing from storage: %(count)s (%(names)s).")
        summary += " " + lost % {"count": len(missing), "names": ", ".join(missing[:10])}
    return {"summary": summary, "url": reverse("core:backup_download", args=[path.name])}


def _backup_hour(moment: datetime) -> bool:
    # Huey hands periodic checks the time in UTC; KONTORA_BACKUP_HOUR is an hour of the base's own time zone.
    local = timezone.localtime(moment.replace(tzinfo=UTC))
    return local.hour == settings.BACKUP_HOUR and local.minute == 0


@periodic(_backup_hour)
def backup_nightly() -> None:
    """The nightly backup, keeping the newest KONTORA_BACKUP_KEEP archives."""
    from kontora.core.backup import backup_create

    path = backup_create(keep=settings.BACKUP_KEEP)
    log.info("nightly backup written to %s", path)


def _statistics_hour(moment: datetime) -> bool:
    # An hour after the nightly backup, so the two never run at once.
    local = timezone.localtime(moment.replace(tzinfo=UTC))
    return local.hour == (settings.BACKUP_HOUR + 1) % 24 and local.minute == 0


@periodic(_statistics_hour)
def refresh_statistics() -> None:
    """Planner statistics for SQLite, which keeps none by itself: without them a filter by status and city walks a
    status's 143,000 rows instead of the city's 886 (bench/RESULTS.md, a million clients). About 3 s at that size.
    PostgreSQL's autovacuum keeps its statistics current on its own."""
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        log.info("planner statistics refreshed")


@periodic(crontab(minute="17"))
def purge_stored() -> None:
    """Stored files of deleted rows that waited for a backup: a purge after commit or at a backup's end may have
    been cut short (a killed process, a backup still running then)."""
    from kontora.core.services.storage import stored_purge

    purged = stored_purge()
    if purged:
        log.info("%d stored files of deleted rows purged", purged)
