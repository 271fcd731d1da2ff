"""Activity's periodic jobs: the tasks' due notices (reminders, project starts) and the check of lost client access."""

from __future__ import annotations

from huey import crontab

from kontora.core.tasks import periodic


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
