"""Reads of tasks for their pages: the client card's «Задачи» journal (CLI-14) and a task's history of states. One
task is `policies.tasks.get`."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import F, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _

from kontora.activity import policies
from kontora.activity.models import ProjectItem, Task, TaskTransition
from kontora.clients import access
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")
IMPORTANCES, STATES = dict(Task.Importance.choices), dict(Task.State.choices)


@dataclass(slots=True)
class TaskLine:
    """What a list of many tasks shows of one (the task journal, the control report, the day planner and its print):
    a row of values, read without a Task object or its client's. `client_open`: the viewer may open the task's
    client (else «клиент недоступен»)."""

    id: int
    kind: str
    state: str
    importance: str
    starts_at: datetime.datetime
    duration_minutes: int
    due_at: datetime.datetime
    description: str
    client_id: int | None
    case_id: int | None
    author_id: int
    assignee_id: int
    client_name: str | None
    case_title: str | None
    client_open: bool
    author_name: str = ""  # read by the journals only
    assignee_name: str = ""

    @property
    def pk(self) -> int:
        return self.id

    @property
    def is_active(self) -> bool:
        return self.state != Task.State.CLOSED

    @property
    def client_shown(self) -> bool:
        return self.client_id is not None and bool(self.client_open)

    @property
    def about(self) -> str:
        """What the task is about, as a list says it: its client's name to one who opens the client, «клиент
        недоступен» to anyone else, or its project case's title."""
        if self.client_id is None:
            return self.case_title or ""
        return (self.client_name or "") if self.client_open else str(_("client unavailable"))

    def overdue(self, now: datetime.datetime) -> bool:
        return self.is_active and self.due_at < now

    def get_importance_display(self) -> str:
        return str(IMPORTANCES.get(self.importance, self.importance))

    def get_state_display(self) -> str:
        return str(STATES.get(self.state, self.state))


LINE_FIELDS = tuple(field.name for field in fields(TaskLine))
DAY_LINE_FIELDS = LINE_FIELDS[:-2]


def task_lines(tasks: QuerySet[Task], shape: policies.JournalShape, viewer_id: Any, *, names: bool) -> QuerySet[Task]:
    """`tasks` with the columns of a `TaskLine` as the viewer sees them (his id may be a prepared statement's marker):
    the client's name, the case's title, whether he opens the client, and with `names` the author's and the
    assignee's names."""
    lines = tasks.annotate(
        client_name=F("client__short_name"), case_title=F("case__title"),
        client_open=access.opens_row_client_in(shape[0], viewer_id))
    if not names:
        return lines
    return lines.annotate(author_name=Coalesce(NullIf(F("author__full_name"), Value("")), F("author__login")),
                          assignee_name=Coalesce(NullIf(F("assignee__full_name"), Value("")), F("assignee__login")))


def client_tasks_page(*, client_id: int, cursor: Mapping[str, str], size: int = 50) -> Page[Task]:
    """The card's «Задачи» journal: every task about the client (whose card the caller has opened — the journal
    belongs to the card, as its history does), newest first, `size` at a time, by the (client, -created_at, -id)
    index."""
    rows = Task.objects.filter(client_id=client_id).select_related("author", "assignee")
    return NEWEST_FIRST.page(rows.order_by(*NEWEST_FIRST.order), cursor, size=size)


def transitions_of(task: Task) -> QuerySet[TaskTransition]:
    """The task's steps, oldest first, with who made them."""
    return task.transitions.select_related("actor").order_by("at", "id")


def is_overdue(task: Any, now: Any) -> bool:
    """An active task past its due time (its row is marked)."""
    return bool(task.state != Task.State.CLOSED and task.due_at < now)


def project_case(case_id: int) -> ProjectItem | None:
    """A theme or case of the project planner (anyone views the planner), for a project task."""
    return ProjectItem.objects.filter(pk=case_id).first()


def clients_with_tasks(client_ids: list[int]) -> set[int]:
    """Those of the clients that have a task (asked before an import's clients are taken back: clients.hooks)."""
    return set(Task.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
