"""Moving and stretching a task in the day planner (PLN-02): saved at once, under the task's row lock, only from the
place the user saw.

Who may: the task's author or an administrator (the rights of editing a task) and its assignee, who arranges his own
day (`policies.can_move_task`); a closed task stays put. A move keeps the task's due as far after its start as it was
(the due shifts by the same delta), and a notice still to come (a reminder, a project task's start) shifts with it.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.activity import locks, policies
from kontora.activity.models import Task
from kontora.core.audit import audit_record, field_label, model_update
from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.selectors.calendar import user_zone
from kontora.core.services.notifications import notification_send

MOVE_FIELDS = ("starts_at", "duration_minutes", "due_at")
LONGEST = 24 * 60  # a task's duration in the planner: at most a day


def task_move(
    *, acting_user: User, task_id: int, starts_at: datetime.datetime, duration_minutes: int,
    seen_starts_at: datetime.datetime, seen_duration: int,
) -> Task:
    """Puts the task at `starts_at` for `duration_minutes`; refused when it was moved or stretched since the page
    showed it at `seen_starts_at` for `seen_duration` minutes."""
    # A wall-clock time is the acting user's (the planner shows his day).
    if timezone.is_naive(starts_at):
        starts_at = starts_at.replace(tzinfo=user_zone(acting_user))
    if timezone.is_naive(seen_starts_at):
        seen_starts_at = seen_starts_at.replace(tzinfo=user_zone(acting_user))
    if not 1 <= duration_minutes <= LONGEST:
        raise ValidationError({"duration_minutes": _("A task lasts from 1 minute to 24 hours.")})
    with transaction.atomic():
        try:
            task = locks.task_to_change(task_id)
        except Task.DoesNotExist:
            raise NotAllowed(_("The task has been deleted.")) from None
        if not policies.tasks.can(acting_user, "view", task):
            raise NotAllowed()
        if not policies.can_move_task(acting_user, task):
            if task.state == Task.State.CLOSED:
                raise Refused(_("The task is closed: it stays where it was done."))
            raise NotAllowed(_("Only the task's author, its assignee or an administrator may move it."))
        if task.starts_at != seen_starts_at or task.duration_minutes != seen_duration:
            raise Conflict(_("Someone has moved or changed this task meanwhile (it now starts at %(start)s for "
                             "%(minutes)s min). Refresh the planner and try again.") % {
                "start": task.starts_at.astimezone(user_zone(acting_user)).strftime("%d.%m.%Y %H:%M"),
                "minutes": task.duration_minutes,
            })
        delta = starts_at - task.starts_at
        data: dict[str, object] = {"starts_at": starts_at, "duration_minutes": duration_minutes,
                                   "due_at": task.due_at + delta}
        if task.notify_at is not None:
            data["notify_at"] = task.notify_at + delta
        changes = model_update(task, data=data, fields=(*MOVE_FIELDS, "notify_at"))
        if not changes:
            return task
        task.changed_by = acting_user
        task.save(update_fields=["changed_by"])
        audit_record(actor=acting_user, event="task.move",
                     summary=_("Task #%(number)s moved in the planner") % {"number": task.pk},
                     target=task, client=task.client_id,
                     changes=[change for change in changes if change["field"] != field_label(Task, "notify_at")])
        if delta and task.assignee_id != acting_user.pk:
            _tell_assignee(acting_user, task)
    return task


def _tell_assignee(acting_user: User, task: Task) -> None:
    """The assignee learns that someone else moved his task (on commit: a rolled-back move tells nothing)."""
    recipient = task.assignee
    if not recipient.is_active:
        return
    text = _("%(user)s moved your task #%(number)s to %(start)s.") % {
        "user": acting_user, "number": task.pk,
        "start": task.starts_at.astimezone(user_zone(recipient)).strftime("%d.%m.%Y %H:%M"),
    }
    url = reverse("activity:task", args=[task.pk])
    transaction.on_commit(
        lambda: notification_send(acting_user=acting_user, recipient=recipient, text=text, url=url, kind="task")
    )
