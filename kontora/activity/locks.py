"""Row locks of activity (core.locks): an event, a task or a project case is changed by one transaction at a time,
and a change checks the state the user saw under the lock (a page left open on an old state is refused)."""

from __future__ import annotations

from kontora.activity.models import CalendarFeed, Event, ProjectItem, Task
from kontora.core.locks import locked


def event_to_change(event_id: int) -> Event:
    return locked(Event.objects.filter(pk=event_id)).select_related("client", "author").get()


def task_to_change(task_id: int) -> Task:
    return locked(Task.objects.filter(pk=task_id)).select_related("client", "case", "author", "assignee").get()


def item_to_change(item_id: int) -> ProjectItem:
    return locked(ProjectItem.objects.filter(pk=item_id)).get()


def items_to_change(item_ids: list[int]) -> dict[int, ProjectItem]:
    """Project items locked together, in primary-key order (a case with its parent: the parent's span bounds the
    case's dates, and the case's bounds the parent's)."""
    return {item.pk: item for item in locked(ProjectItem.objects.filter(pk__in=item_ids))}

def live_feeds(user_id: int) -> list[CalendarFeed]:
    """The user's live calendar address (at most one; a list, since there may be none): made, replaced and revoked
    one at a time."""
    return list(locked(CalendarFeed.objects.filter(user_id=user_id, revoked_at__isnull=True)))
