"""Activity's background work: the tasks' due notices (reminders, project starts), the check of lost client access,
and the clean-up of closed tasks (a job and its nightly run). Thin tasks, ids in, a service call inside."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from huey import crontab

from kontora.activity.services import cleanup
from kontora.core.services.jobs import JobContext
from kontora.core.tasks import periodic


def tasks_cleanup_run(ctx: JobContext) -> dict[str, Any]:
    """The "tasks_cleanup" job (services.cleanup.tasks_cleanup_start): closed tasks before the cut-off deleted."""
    deleted = cleanup.tasks_cleanup(
        acting_user=ctx.job.created_by, cutoff=datetime.datetime.fromisoformat(str(ctx.params["cutoff"])),
        progress=ctx.progress, resume=ctx.checkpoint, checkpoint=ctx.checkpoint_save,
    )
    return {"summary": _("Closed tasks deleted: %(count)d.") % {"count": deleted}, "count": deleted}


def _cleanup_hour(moment: datetime.datetime) -> bool:
    # Two hours after the nightly backup (KONTORA_BACKUP_HOUR, the base's own time zone): never beside it.
    local = timezone.localtime(moment.replace(tzinfo=datetime.UTC))
    return local.hour == (settings.BACKUP_HOUR + 2) % 24 and local.minute == 0


@periodic(_cleanup_hour)
def tasks_cleanup_nightly() -> None:
    """The nightly clean-up of closed tasks, when Администрирование → Обслуживание базы switched it on."""
    cleanup.tasks_cleanup_nightly()


@periodic(crontab())
def task_notices() -> None:
    """Every minute: the reminders («напомнить за N минут») and project starts now due, each sent exactly once
    (activity.services.tasks.task_notices_send; also when several workers run it)."""
    from kontora.activity.services.tasks import task_notices_send

    task_notices_send()


@periodic(crontab(minute="*/5"))
def task_access_check() -> None:
    """Every five minutes: the authors of active tasks whose assignee can no longer open the client are told, once."""
    from kontora.activity.services.tasks import task_access_lost_tell_all

    task_access_lost_tell_all()
