"""Counts for the statistics reports: events by author and type over a period, scoped by `policies.scoped_events`
(one's own, or every employee's with the right the report checks); an employee's task figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from kontora.accounts.models import User
from kontora.activity import policies
from kontora.activity.models import Event, Task
from kontora.directories.models import EventType


@dataclass(frozen=True)
class EventCount:
    author_id: int
    author: str
    event_type_id: int
    event_type: str
    count: int


def _period(events: QuerySet[Event], start: datetime.datetime, end: datetime.datetime,
            author_ids: tuple[int, ...]) -> QuerySet[Event]:
    events = events.filter(created_at__gte=start, created_at__lt=end)
    return events.filter(author_id__in=author_ids) if author_ids else events


def _grouped(events: QuerySet[Event]) -> dict[tuple[int, int], EventCount]:
    # Grouped by the ids alone and counting rows (not ids), so the count reads the stats index only (an index-only
    # scan on PostgreSQL); the few names are asked after it.
    rows = list(events.order_by().values_list("author_id", "event_type_id").annotate(count=Count("*")))
    authors = dict(User.objects.filter(pk__in={row[0] for row in rows}).values_list("pk", "full_name"))
    types = dict(EventType.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", "name"))
    return {(author_id, type_id): EventCount(author_id, authors.get(author_id, ""), type_id, types.get(type_id, ""),
                                             count)
            for author_id, type_id, count in rows}


def event_counts(user: Any, *, everyone: bool, start: datetime.datetime, end: datetime.datetime,
                 author_ids: tuple[int, ...] = ()) -> list[EventCount]:
    """How many events each author wrote of each type in [start, end), by author's name then most first. For a
    user kept only from other curators' private clients, all events' counts less those about such clients (each
    event's client is then never looked up)."""
    kept = policies.scoped_events_kept(user, everyone=everyone)
    if kept is None:
        counts = _grouped(_period(policies.scoped_events(user, everyone=everyone), start, end, author_ids))
    else:
        counts = _grouped(_period(Event.objects.all(), start, end, author_ids))
        for key, item in _grouped(_period(kept, start, end, author_ids)).items():
            whole = counts[key]
            counts[key] = EventCount(whole.author_id, whole.author, whole.event_type_id, whole.event_type,
                                     whole.count - item.count)
    found = [item for item in counts.values() if item.count]
    return sorted(found, key=lambda item: (item.author, item.author_id, -item.count, item.event_type))


@dataclass(frozen=True)
class TaskFigures:
    """One employee's tasks over a period: set by him, closed as their assignee, and given to him with their due
    time in the period and not closed by it."""

    set: int
    done: int
    overdue: int


def task_figures(user: Any, *, subject_id: int, start: datetime.datetime, end: datetime.datetime,
                 now: datetime.datetime) -> TaskFigures:
    """`subject_id`'s task figures over [start, end), counted among the tasks the asking `user` may read."""
    tasks = policies.visible_tasks(user)
    given = tasks.filter(assignee_id=subject_id)
    late = Q(due_at__gte=start, due_at__lt=min(end, now)) & (
        ~Q(state=Task.State.CLOSED) | Q(closed_at__gt=F("due_at")))
    return TaskFigures(
        set=tasks.filter(author_id=subject_id, created_at__gte=start, created_at__lt=end).count(),
        done=given.filter(closed_at__gte=start, closed_at__lt=end).count(),
        overdue=given.filter(late).count(),
    )
