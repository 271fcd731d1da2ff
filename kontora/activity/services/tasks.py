"""Tasks (TSK-01 … TSK-04, TSK-06): set, changed, deleted and moved through their states; the notices they send.

Every write is one transaction with an audit row. A task's state moves only through `task_transition`, under the
task's row lock and only from the state the user saw (`seen_state`), so a page left open on an old state is refused
instead of being applied twice. Every step is a `TaskTransition` (who, when, from which state to which, the comment).

Notices go through core's notifications (kind "task"): a new or reassigned task and a task returned for rework reach
the assignee at once (an open page's bell polls every few seconds; an offline user finds them at the next sign-in),
a task completed with its report reaches the author. Reminders («напомнить за N минут») and a project task's start
are due at `Task.notify_at`; the periodic job (`activity.tasks.task_notices`) sends each exactly once
(`task_notices_send`): a notice's row is taken by a conditional UPDATE that clears `notify_at` only where it still
holds the value read, in the same transaction as the notification, so two workers never both send it.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from kontora.accounts.models import ClientScope, User
from kontora.activity import locks
from kontora.activity.models import ProjectItem, Task, TaskTransition
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core import conflicts
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.conflicts import Edit
from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.permissions import is_administrator
from kontora.core.selectors.calendar import user_zone
from kontora.core.services.notifications import notification_send
from kontora.targeting.selectors import goals_of_kind
from kontora.targeting.services import achievements_sync

log = logging.getLogger("kontora.activity")

State, Kind = Task.State, Task.Kind
# A task's fields as its audit rows show them.
TASK_FIELDS = ("kind", "client", "case", "assignee", "importance", "starts_at", "duration_minutes", "due_at",
               "description", "remind", "remind_minutes", "state", "report")
# What the task form edits (TaskForm's fields): the model's, and `requires_report`, the kind of a client task.
EDITABLE = ("assignee", "importance", "starts_at", "duration_minutes", "due_at", "description", "requires_report",
            "remind", "remind_minutes")
# How many due notices one run of the periodic job takes at most (the next minute's run takes the rest).
NOTICES_PER_RUN = 500


# --- validation -------------------------------------------------------------------------------------------------


def why_closed(user: User, client: Client) -> str:
    """Why `user` cannot open `client` (the reason the task form names beside the assignee)."""
    if not user.is_active:
        return _("the account is disabled or the employee dismissed")
    if client.is_private and client.curator_id != user.pk:
        return _("the client is private: only its curator opens it")
    if user.client_scope in (ClientScope.OWN, ClientScope.LIST_ALL):
        return _("he works with his own clients only, and this client is not his (he is neither its curator nor "
                 "its specialist, and no access was granted to him)")
    return _("his working mode does not let him open it")


def _opens(user: User, client_id: int) -> bool:
    return access.openable_clients(user).filter(pk=client_id).exists()


def _check(acting_user: User, values: Mapping[str, Any], *, client: Client | None, assignee_changed: bool,
           author_opens: bool = False) -> None:
    """The task's own rules over the values it will have (the form's fields, all of them): raises one
    ValidationError naming every field at fault. `author_opens`: the caller has just found that the author opens
    the client (so an author assigning himself is not asked again)."""
    errors: dict[str, str] = {}
    if not (values.get("description") or "").strip():
        errors["description"] = _("Describe the task.")
    starts_at, due_at = values.get("starts_at"), values.get("due_at")
    if starts_at is None:
        errors["starts_at"] = _("Enter the start date and time.")
    if due_at is None:
        errors["due_at"] = _("Enter the due date and time.")
    if starts_at is not None and due_at is not None and due_at < starts_at:
        errors["due_at"] = _("The due time cannot be earlier than the start.")
    duration = values.get("duration_minutes")
    if duration is None or duration < 0:
        errors["duration_minutes"] = _("Enter the duration in minutes.")
    if values.get("remind") and not values.get("remind_minutes"):
        errors["remind_minutes"] = _("Say how long before the start to remind.")
    assignee = values.get("assignee")
    if assignee is None:
        errors["assignee"] = _("Choose the assignee.")
    elif assignee_changed and not assignee.is_active:
        errors["assignee"] = _("%(user)s cannot work in the program: the account is disabled or the employee "
                               "dismissed.") % {"user": assignee}
    elif assignee_changed and client is not None and not (author_opens and assignee.pk == acting_user.pk) \
            and not _opens(assignee, client.pk):
        name = client.short_name if _opens(acting_user, client.pk) else _("client unavailable")
        errors["assignee"] = _("The assignee %(user)s cannot open the client «%(client)s»: %(why)s.") % {
            "user": assignee, "client": name, "why": why_closed(assignee, client)}
    if errors:
        raise ValidationError(errors)


def _notify_at(task: Task, now: datetime.datetime) -> datetime.datetime | None:
    """When the assignee is next to be told of the task: the reminder's moment (start − lead time), else a project
    task's start (TSK-04); nothing for a closed task or one whose start has passed."""
    if task.state == State.CLOSED or task.starts_at <= now:
        return None
    if task.remind:
        return task.starts_at - datetime.timedelta(minutes=task.remind_minutes)
    if task.kind == Kind.PROJECT:
        return task.starts_at
    return None


# --- notices ----------------------------------------------------------------------------------------------------


def _url(task: Task) -> str:
    return reverse("activity:task", args=[task.pk])


def _short(task: Task) -> str:
    return Truncator(" ".join(task.description.split())).chars(80)


def _moment(user: Any, moment: datetime.datetime) -> str:
    return moment.astimezone(user_zone(user)).strftime("%d.%m.%Y %H:%M")


def _tell(acting_user: User | None, recipient: User, task: Task, text: Any) -> None:
    """A notice about the task on the recipient's bell, in his language, once the transaction commits; never to the
    one who acted, nor to a user who cannot sign in."""
    if not recipient.is_active or (acting_user is not None and recipient.pk == acting_user.pk):
        return
    with override(recipient.language or settings.LANGUAGE_CODE):
        message = str(text() if callable(text) else text)
    url = _url(task)
    transaction.on_commit(lambda: notification_send(acting_user=acting_user, recipient=recipient, text=message,
                                                    url=url, kind="task"))


def _new_task_text(task: Task) -> Any:
    return lambda: _("New task No. %(number)s from %(author)s, start %(start)s: %(text)s") % {
        "number": task.pk, "author": task.author, "start": _moment(task.assignee, task.starts_at),
        "text": _short(task)}


# --- create, change, delete -------------------------------------------------------------------------------------


def task_create(
    *, acting_user: User, values: Mapping[str, Any], client: Client | None = None, case: ProjectItem | None = None,
) -> Task:
    """Sets a task (TSK-01, TSK-03, TSK-04): about a client (a reminder, or with `requires_report` a task requiring a
    report), or about a case of the project planner (a project task, no report).

    Whom the author may assign: himself or any active user — but about a client, only someone who can open that
    client (else the task is refused, naming the client and why). The author must be able to open the client too:
    a task about a client he cannot open is refused, and the refusal tells nothing of it. The assignee is told at
    once (TSK-02); a reminder or a project task's start is due at `notify_at` (TSK-04, TSK-06)."""
    if (client is None) == (case is None):
        raise Refused(_("A task is about a client or about a case of the project planner."))
    if client is not None and not _opens(acting_user, client.pk):
        raise ValidationError({"client": _("You cannot open this client's card, so you cannot set a task about "
                                           "it.")})
    _check(acting_user, values, client=client, assignee_changed=True, author_opens=client is not None)
    now = timezone.now()
    kind = Kind.PROJECT if case is not None else (Kind.REPORT if values.get("requires_report") else Kind.REMINDER)
    # Inside a caller's transaction (a group run's client) no savepoint: a failure rolls back to the caller's own.
    with transaction.atomic(savepoint=False):
        task = Task(
            kind=kind, client=client, case=case, author=acting_user, assignee=values["assignee"], created_at=now,
            importance=values.get("importance") or Task.Importance.NORMAL, starts_at=values["starts_at"],
            duration_minutes=values["duration_minutes"], due_at=values["due_at"],
            description=values["description"].strip(), remind=bool(values.get("remind")),
            remind_minutes=values.get("remind_minutes") or 15, state=State.NEW, changed_by=acting_user,
        )
        task.notify_at = _notify_at(task, now)
        task.save()
        TaskTransition.objects.create(task=task, actor=acting_user, at=now, from_state="", to_state=State.NEW)
        audit_record(actor=acting_user, event="activity.task.create", target=task, client=task.client_id,
                     summary=_("Task No. %(number)s set") % {"number": task.pk},
                     changes=changes_between(Task, {}, snapshot(task, TASK_FIELDS), TASK_FIELDS))
        _tell(acting_user, task.assignee, task, _new_task_text(task))
    return task


def task_stored(task: Task, zone: datetime.tzinfo) -> dict[str, Any]:
    """The task's editable values as the form shows them (times on the user's clock, to the minute): what the
    conflict check compares with what the user read."""
    def minute(moment: datetime.datetime) -> datetime.datetime:
        return moment.astimezone(zone).replace(second=0, microsecond=0)

    return {
        "assignee": task.assignee_id, "importance": task.importance, "starts_at": minute(task.starts_at),
        "duration_minutes": task.duration_minutes, "due_at": minute(task.due_at), "description": task.description,
        "requires_report": task.kind == Kind.REPORT, "remind": task.remind, "remind_minutes": task.remind_minutes,
    }


def task_update(*, acting_user: User, task_id: int, values: Mapping[str, Any], edit: Edit | None = None) -> Task:
    """Changes the given fields of a task (the form gives those the user changed, with its `edit` to check field by
    field against what others saved since it was read: core.conflicts). Its author or an administrator; not once
    it is closed. A new assignee must be able to open the client, and is told of the task."""
    with transaction.atomic():
        task = locks.task_to_change(task_id)
        if not (task.author_id == acting_user.pk or is_administrator(acting_user)):
            raise NotAllowed(_("Only the task's author or an administrator may change it."))
        if task.state == State.CLOSED:
            raise Refused(_("The task is closed: it can only be viewed."))
        if edit is not None:
            conflicts.check([edit], task, target=task)
        values = {name: value for name, value in values.items() if name in EDITABLE}
        current = {name: getattr(task, name) for name in EDITABLE if name != "requires_report"}
        merged = {**current, **values}
        assignee_changed = "assignee" in values and values["assignee"].pk != task.assignee_id
        _check(acting_user, merged, client=task.client, assignee_changed=assignee_changed)
        if "requires_report" in values and bool(values["requires_report"]) != (task.kind == Kind.REPORT):
            if task.kind == Kind.PROJECT:
                raise ValidationError({"requires_report": _("A project task has no report.")})
            if task.state != State.NEW:
                raise ValidationError({"requires_report": _(
                    "The assignee has already taken the task up: whether it requires a report can no longer "
                    "change.")})
            task.kind = Kind.REPORT if values["requires_report"] else Kind.REMINDER
        before = snapshot(task, TASK_FIELDS)
        for name in ("assignee", "importance", "starts_at", "duration_minutes", "due_at", "remind",
                     "remind_minutes"):
            if name in values:
                setattr(task, name, values[name])
        if "description" in values:
            task.description = values["description"].strip()
        if any(name in values for name in ("starts_at", "remind", "remind_minutes", "assignee")):
            task.notify_at = _notify_at(task, timezone.now())
        if assignee_changed:
            task.access_lost_told_at = None
        task.changed_by = acting_user
        task.save()
        changes = changes_between(Task, before, snapshot(task, TASK_FIELDS), TASK_FIELDS)
        audit_record(actor=acting_user, event="activity.task.update", target=task, client=task.client_id,
                     summary=_("Task No. %(number)s changed") % {"number": task.pk}, changes=changes)
        if assignee_changed:
            _tell(acting_user, task.assignee, task, _new_task_text(task))
    return task


def task_delete(*, acting_user: User, task_id: int) -> None:
    """Deletes a task with its history of states: its author or an administrator."""
    with transaction.atomic():
        task = locks.task_to_change(task_id)
        if not (task.author_id == acting_user.pk or is_administrator(acting_user)):
            raise NotAllowed(_("Only the task's author or an administrator may delete it."))
        audit_record(actor=acting_user, event="activity.task.delete", target=task, client=task.client_id,
                     summary=_("Task No. %(number)s deleted") % {"number": task.pk},
                     changes=changes_between(Task, snapshot(task, TASK_FIELDS), {}, TASK_FIELDS))
        task.delete()


# --- transitions (TSK-03) ---------------------------------------------------------------------------------------

AUTHOR, ASSIGNEE, EITHER = "author", "assignee", "either"


@dataclass(frozen=True)
class Step:
    """One transition: its button, who presses it, for which kinds of task, from which states, to which."""

    action: str
    label: Any
    by: str
    kinds: frozenset[str]
    sources: frozenset[str]
    target: str
    needs: str = ""  # "report" or "comment": the text the step requires


_REPORTED = frozenset({Kind.REPORT})
_PLAIN = frozenset({Kind.REMINDER, Kind.PROJECT})
STEPS: dict[str, Step] = {step.action: step for step in (
    Step("accept", gettext_lazy("Accept for execution"), ASSIGNEE, _REPORTED, frozenset({State.NEW, State.REWORK}),
         State.ACCEPTED),
    Step("complete", gettext_lazy("Complete"), ASSIGNEE, _REPORTED, frozenset({State.ACCEPTED}), State.COMPLETED,
         needs="report"),
    Step("approve", gettext_lazy("Execution accepted"), AUTHOR, _REPORTED, frozenset({State.COMPLETED}),
         State.CLOSED),
    Step("rework", gettext_lazy("Send back for rework"), AUTHOR, _REPORTED, frozenset({State.COMPLETED}),
         State.REWORK, needs="comment"),
    Step("done", gettext_lazy("Mark done"), EITHER, _PLAIN, frozenset({State.NEW}), State.CLOSED),
)}


def _presses(user: Any, task: Task, step: Step) -> bool:
    if step.by == AUTHOR:
        return bool(task.author_id == user.pk)
    if step.by == ASSIGNEE:
        return bool(task.assignee_id == user.pk)
    return task.author_id == user.pk or task.assignee_id == user.pk


def steps_open(user: Any, task: Task) -> list[Step]:
    """The transitions `user` may make now (the task card's buttons)."""
    return [step for step in STEPS.values()
            if task.kind in step.kinds and task.state in step.sources and _presses(user, task, step)]


def _refusal(task: Task, step: Step) -> Exception:
    if task.kind not in step.kinds:
        if task.kind == Kind.REPORT:
            return Refused(_("This task requires a report: the assignee completes it with a report, and the author "
                             "accepts the execution."))
        return Refused(_("«%(action)s» is for tasks requiring a report; this task is closed with «Mark done».")
                       % {"action": step.label})
    return Refused(_("«%(action)s» is not possible now: the task is «%(state)s».")
                   % {"action": step.label, "state": task.get_state_display()})


def _wrong_person(task: Task, step: Step) -> NotAllowed:
    if step.by == AUTHOR:
        return NotAllowed(_("«%(action)s» is for the task's author, %(user)s, only.")
                          % {"action": step.label, "user": task.author})
    if step.by == ASSIGNEE:
        return NotAllowed(_("«%(action)s» is for the task's assignee, %(user)s, only.")
                          % {"action": step.label, "user": task.assignee})
    return NotAllowed(_("«%(action)s» is for the task's assignee or author only.") % {"action": step.label})


def task_transition(
    *, acting_user: User, task_id: int, action: str, seen_state: str, comment: str = "", report: str = "",
) -> Task:
    """Moves a task on (TSK-03): the assignee accepts a task requiring a report («Принять к исполнению»), completes
    it with the report («Завершить»; it stays active), the author accepts the execution («Выполнение принято»; it
    closes) or sends it back for rework with a comment; a task without a report is closed by its assignee or author
    («Выполнено»).

    `seen_state` is the state the user's page showed: under the row lock, a task that has moved since is refused
    (Conflict) — a page left open is never applied twice. Then the wrong person is refused (NotAllowed), then the
    wrong state (Refused), each naming why."""
    step = STEPS.get(action)
    if step is None:
        raise Refused(_("Unknown action with a task."))
    comment, report = (comment or "").strip(), (report or "").strip()
    with transaction.atomic():
        task = locks.task_to_change(task_id)
        if task.state != seen_state:
            raise Conflict(_("The task has changed meanwhile: it is now «%(state)s». Look at it again and choose "
                             "anew.") % {"state": task.get_state_display()})
        if not _presses(acting_user, task, step):
            raise _wrong_person(task, step)
        if task.kind not in step.kinds or task.state not in step.sources:
            raise _refusal(task, step)
        if step.needs == "report" and not report:
            raise ValidationError({"report": _("Write the execution report.")})
        if step.needs == "comment" and not comment:
            raise ValidationError({"comment": _("Say what is to be reworked.")})
        now = timezone.now()
        before = snapshot(task, ("state", "report"))
        source = task.state
        task.state = step.target
        if step.needs == "report":
            task.report = report
        if step.target == State.CLOSED:
            task.closed_at, task.notify_at = now, None
        task.changed_by = acting_user
        task.save(update_fields=["state", "report", "closed_at", "notify_at", "changed_by", "changed_at"])
        if task.state == State.CLOSED and task.assignee_id is not None:
            # A task done is its assignee's goal reached (TGT-01); it stays reached whatever becomes of the task.
            achievements_sync(source="task", source_id=task.pk, user_id=task.assignee_id, achieved_at=now,
                              goals=goals_of_kind("task_done"))
        TaskTransition.objects.create(task=task, actor=acting_user, at=now, from_state=source, to_state=task.state,
                                      comment=report if step.needs == "report" else comment)
        audit_record(actor=acting_user, event="activity.task.transition", target=task, client=task.client_id,
                     summary=f"{step.label}: " + _("task No. %(number)s") % {"number": task.pk},
                     changes=changes_between(Task, before, snapshot(task, ("state", "report")), ("state", "report")),
                     extra={"comment": comment} if comment else None)
        if step.action == "complete":
            _tell(acting_user, task.author, task, lambda: _(
                "Task No. %(number)s is completed by %(user)s; the report awaits your acceptance: %(text)s") % {
                "number": task.pk, "user": task.assignee, "text": _short(task)})
        elif step.action == "rework":
            _tell(acting_user, task.assignee, task, lambda: _(
                "Task No. %(number)s is sent back to you for rework by %(user)s: %(comment)s") % {
                "number": task.pk, "user": task.author, "comment": Truncator(comment).chars(200)})
    return task


# --- the periodic job's notices (TSK-04, TSK-06) and lost access ------------------------------------------------


def due_notices(now: datetime.datetime) -> list[tuple[int, datetime.datetime]]:
    """The tasks whose notice is due (id, the `notify_at` read): what one run of the job sends."""
    rows = (Task.objects.filter(notify_at__lte=now).exclude(state=State.CLOSED)
            .order_by("notify_at", "id").values_list("pk", "notify_at")[:NOTICES_PER_RUN])
    return [(pk, due) for pk, due in rows if due is not None]


def _notice_text(task: Task) -> Any:
    if task.remind:
        return lambda: _("Reminder: task No. %(number)s starts at %(start)s: %(text)s") % {
            "number": task.pk, "start": _moment(task.assignee, task.starts_at), "text": _short(task)}
    return lambda: _("The project work starts (%(start)s): task No. %(number)s about «%(case)s»: %(text)s") % {
        "number": task.pk, "start": _moment(task.assignee, task.starts_at), "case": task.case,
        "text": _short(task)}


def task_notice_send(*, task_id: int, due: datetime.datetime) -> bool:
    """Sends one due notice, if no other run has: the conditional UPDATE clears `notify_at` only where it still holds
    `due` (the value this run read) — on PostgreSQL a concurrent run waits on the row and then finds it cleared; on
    SQLite writes take turns — and the notification is written in the same transaction. True if this run sent it."""
    with transaction.atomic():
        if Task.objects.filter(pk=task_id, notify_at=due).exclude(state=State.CLOSED).update(notify_at=None) != 1:
            return False
        task = Task.objects.select_related("assignee", "case").get(pk=task_id)
        if task.assignee.is_active:
            with override(task.assignee.language or settings.LANGUAGE_CODE):
                text = str(_notice_text(task)())
            notification_send(acting_user=None, recipient=task.assignee, text=text, url=_url(task), kind="task")
    return True


def task_notices_send(*, now: datetime.datetime | None = None) -> int:
    """The periodic job's run: every due notice sent exactly once, however many runs overlap. Returns how many this
    run sent."""
    now = now or timezone.now()
    sent = sum(task_notice_send(task_id=pk, due=due) for pk, due in due_notices(now))
    if sent:
        log.info("%d task notices sent", sent)
    return sent


def access_lost() -> list[int]:
    """Active client tasks whose assignee can no longer open their client and whose author was not told yet: one
    query per assignee of such tasks (his openable clients as an anti-join)."""
    candidates = Task.objects.filter(client__isnull=False, access_lost_told_at__isnull=True).exclude(
        state=State.CLOSED)
    found: list[int] = []
    for assignee in User.objects.filter(pk__in=candidates.values("assignee_id")):
        lost = candidates.filter(assignee=assignee).exclude(client__in=access.openable_clients(assignee))
        found.extend(lost.values_list("pk", flat=True)[:NOTICES_PER_RUN])
    return found


def task_access_lost_tell(*, task_id: int) -> bool:
    """Tells the task's author, once, that its assignee can no longer open its client (TSK-01): the task stays the
    assignee's and shows «клиент недоступен». A conditional UPDATE marks it told in the same transaction as the
    notification, so overlapping runs tell once. True if this run told."""
    task = Task.objects.select_related("author", "assignee").filter(pk=task_id).first()
    if task is None or task.client_id is None or _opens(task.assignee, task.client_id):
        return False  # gone, or access came back meanwhile: nothing to tell
    with transaction.atomic():
        taken = Task.objects.filter(pk=task_id, access_lost_told_at__isnull=True).exclude(state=State.CLOSED)
        if taken.update(access_lost_told_at=timezone.now()) != 1:
            return False
        if task.author.is_active:
            with override(task.author.language or settings.LANGUAGE_CODE):
                text = _("Task No. %(number)s: its assignee %(user)s can no longer open its client. The task stays "
                         "his; its client is shown as «client unavailable».") % {
                    "number": task.pk, "user": task.assignee}
            notification_send(acting_user=None, recipient=task.author, text=text, url=_url(task), kind="task")
        audit_record(actor=None, event="activity.task.access_lost", target=task, client=task.client_id,
                     summary=_("The assignee of task No. %(number)s lost access to its client")
                     % {"number": task.pk})
    return True


def task_access_lost_tell_all() -> int:
    """The periodic job's check of lost access: each such task's author is told once."""
    told = sum(task_access_lost_tell(task_id=pk) for pk in access_lost())
    if told:
        log.info("%d authors told of tasks whose client their assignee lost", told)
    return told

