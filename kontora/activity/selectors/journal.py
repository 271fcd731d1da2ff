"""Reads of the task journal (TSK-07), the «Задачи на контроле» report (TSK-09) and the sign-in landings (TSK-08),
always from `policies.journal_tasks`: the tasks the user set or was given, or with «журналы всех сотрудников» every
employee's about clients he may open (and project tasks)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kontora.activity import policies
from kontora.activity.models import Task
from kontora.clients import access
from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page

# The journal: the latest start first; the report: the nearest due first (what needs control now).
JOURNAL_ORDER = Keyset("-starts_at", "-id")
REPORT_ORDER = Keyset("due_at", "id")
# What a row shows (`activity/partials/task_rows.html`): the related rows' columns beyond these are not read — a
# client row alone has fifty.
ROW_FIELDS = ("kind", "state", "importance", "starts_at", "due_at", "description", "client_id", "case_id",
              "author_id", "assignee_id", "client__short_name", "case__title", "author__full_name", "author__login",
              "assignee__full_name", "assignee__login")
# State choices beyond the model's own: every state but closed, and closed.
ACTIVE, CLOSED = "active", Task.State.CLOSED.value


@dataclass(frozen=True)
class TaskChoice:
    """What the journal or the report is narrowed to; the period is of the start date, on the user's clock."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    author_id: int | None = None
    assignee_id: int | None = None
    state: str = ""  # "", ACTIVE, or a Task.State value
    importance: str = ""
    client_id: int | None = None
    overdue: bool = False  # active and past due


@dataclass(frozen=True)
class TaskRow:
    task: Task
    client_shown: bool  # the user may open the task's client (else «клиент недоступен»)
    overdue: bool


@dataclass(frozen=True)
class TaskPage:
    rows: list[TaskRow]
    pager: Page[Task]
    hidden: int = 0  # tasks of the choice client access keeps from the user (counted on the first page)


def overdue_q(now: datetime.datetime | None = None) -> Q:
    return ~Q(state=Task.State.CLOSED) & Q(due_at__lt=now or timezone.now())


def chosen_tasks(user: Any, choice: TaskChoice) -> QuerySet[Task]:
    """The journal's tasks of the user narrowed by `choice` (no order, no related rows)."""
    return _narrowed(policies.journal_tasks(user), user, choice)


def hidden_count(user: Any, choice: TaskChoice) -> int:
    """How many tasks of the same choice client access alone keeps from a holder of «журналы всех сотрудников»
    (one query; none for a user who sees only his own, all of which are listed, nor for one client's tasks: that
    would count the tasks of a client the user may only list)."""
    if not policies.sees_all_employees(user) or choice.client_id is not None:
        return 0
    return _narrowed(policies.hidden_tasks(user), user, choice).count()


def _narrowed(qs: QuerySet[Task], user: Any, choice: TaskChoice) -> QuerySet[Task]:
    if choice.date_from is not None:
        qs = qs.filter(starts_at__gte=day_bounds(user, choice.date_from)[0])
    if choice.date_to is not None:
        qs = qs.filter(starts_at__lt=day_bounds(user, choice.date_to)[1])
    if choice.author_id is not None:
        qs = qs.filter(author_id=choice.author_id)
    if choice.assignee_id is not None:
        qs = qs.filter(assignee_id=choice.assignee_id)
    if choice.state == ACTIVE:
        qs = qs.exclude(state=Task.State.CLOSED)
    elif choice.state:
        qs = qs.filter(state=choice.state)
    if choice.importance:
        qs = qs.filter(importance=choice.importance)
    if choice.client_id is not None:
        qs = qs.filter(client_id=choice.client_id)
    if choice.overdue:
        qs = qs.filter(overdue_q())
    return qs


def _rows(user: Any, tasks: list[Task]) -> list[TaskRow]:
    """The page's rows with whether each client is shown: one query for the whole page, none without clients."""
    client_ids = {task.client_id for task in tasks if task.client_id}
    openable: frozenset[int] = frozenset()
    if client_ids and access.visibility_shape(user) != access.NOBODY:
        openable = frozenset(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True))
    now = timezone.now()
    return [TaskRow(task, task.client_id in openable, task.is_active and task.due_at < now) for task in tasks]


def _page(user: Any, choice: TaskChoice, order: Keyset, cursor: Mapping[str, str], size: int) -> TaskPage:
    qs = chosen_tasks(user, choice).select_related("client", "case", "author", "assignee").only(*ROW_FIELDS)
    parts = policies.journal_task_parts(user)
    page = order.page(qs, cursor, size=size) if parts is None else order.page_union(
        [_narrowed(part, user, choice) for part in parts], qs, cursor, size=size)
    first = AFTER not in cursor and BEFORE not in cursor
    return TaskPage(_rows(user, page.rows), page, hidden_count(user, choice) if first else 0)


def journal_page(user: Any, choice: TaskChoice, *, cursor: Mapping[str, str], size: int = 50) -> TaskPage:
    """«Журнал задач», `size` rows at a time, the latest start first (keyset on (starts_at, id), no OFFSET)."""
    return _page(user, choice, JOURNAL_ORDER, cursor, size)


def report_page(user: Any, choice: TaskChoice, *, cursor: Mapping[str, str], size: int = 50) -> TaskPage:
    """«Задачи на контроле», `size` rows at a time, the nearest due first."""
    return _page(user, choice, REPORT_ORDER, cursor, size)


def state_counts(user: Any, choice: TaskChoice) -> dict[str, int]:
    """The report's totals: how many of the chosen tasks stand in each state, and how many are overdue (one
    query)."""
    totals = chosen_tasks(user, choice).aggregate(
        overdue=Count("id", filter=overdue_q()),
        **{state: Count("id", filter=Q(state=state)) for state in Task.State.values},
    )
    return {name: int(value or 0) for name, value in totals.items()}


def has_active_tasks(user: Any) -> bool:
    """Tasks given to the user that are not closed (the journal at sign-in)."""
    return Task.objects.filter(assignee=user).exclude(state=Task.State.CLOSED).exists()


def has_overdue_tasks(user: Any) -> bool:
    """Tasks given to the user past their due and not closed (the overdue report at sign-in)."""
    return Task.objects.filter(overdue_q(), assignee=user).exists()
