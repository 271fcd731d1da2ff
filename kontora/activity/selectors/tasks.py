"""Reads of tasks for their pages: the client card's «Задачи» journal (CLI-14) and a task's history of states. One
task is `policies.tasks.get`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from kontora.activity.models import ProjectItem, Task, TaskTransition
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")


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
