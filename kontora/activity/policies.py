"""Who sees and changes events, tasks and project cases.

Events and tasks about a client are client-owned data: they start from the user's openable clients (the card level,
`clients.access.openable_clients`). A task is also its author's and its assignee's even when one of them later loses
the client (it became private, the curator changed): the task stays listed to them, but its client is shown as
«клиент недоступен» (`client_shown`) and nothing of the client leaves the server.

Journals, reports, monitors and planners list a user's own work (`own_events`, `own_tasks`), or every employee's to a
holder of «журналы всех сотрудников» (`sees_all_employees`, supervisors and administrators by role) — in both cases
within `visible_*`. One client's journal in the card lists every event and task about that client to whoever opens
the card: the history belongs to the card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kontora.accounts.policies import sees_all_employees
from kontora.activity.models import Event, ProjectItem, Task
from kontora.clients import access
from kontora.core.permissions import Policy, decided, is_administrator
from kontora.core.selectors.calendar import user_today, user_zone


def _journals_everyone(user: Any) -> bool:
    return sees_all_employees(user) and access.visibility_shape(user) != access.NOBODY


def visible_events(user: Any) -> QuerySet[Event]:
    if access.visibility_shape(user) == access.NOBODY:
        return Event.objects.none()
    return Event.objects.filter(access.opens_row_client(user))


def own_events(user: Any) -> Q:
    return Q(author=user)


def journal_events(user: Any) -> QuerySet[Event]:
    """The events a journal lists to the user: his own, or everyone's with the right; never a client's he may not
    open."""
    return scoped_events(user, everyone=sees_all_employees(user))


def journal_events_kept(user: Any) -> QuerySet[Event] | None:
    """For a count over many events: the events `journal_events(user)` leaves out of all of them, when they are
    few — for a user who sees every employee's journal and opens every client but other curators' private ones,
    the events about those clients. None when `journal_events` is not all events less a few."""
    return scoped_events_kept(user, everyone=sees_all_employees(user))


def scoped_events(user: Any, *, everyone: bool) -> QuerySet[Event]:
    """The user's own events, or with `everyone` (his right to all users' journals, or to reports on all users)
    every employee's; never a client's he may not open."""
    events = visible_events(user)
    return events if everyone else events.filter(own_events(user))


def scoped_events_kept(user: Any, *, everyone: bool) -> QuerySet[Event] | None:
    """What `scoped_events` leaves out of all events, when that is a few rows read along their own index (see
    `journal_events_kept`); None otherwise."""
    if not (everyone and access.visibility_shape(user) != access.NOBODY and access.opens_every_shared(user)):
        return None
    return Event.objects.filter(client__in=access.others_private_clients(user))


def own_tasks(user: Any) -> Q:
    return _own_tasks_of(user.pk)


def _own_tasks_of(user_id: Any) -> Q:
    return Q(author_id=user_id) | Q(assignee_id=user_id)


def visible_tasks(user: Any) -> QuerySet[Task]:
    """Tasks the user may read: his own (set or given) whatever became of their client; project tasks; tasks about
    clients he may open."""
    if not getattr(user, "is_authenticated", False):
        return Task.objects.none()
    return _visible_tasks_in(access.visibility_shape(user), user.pk)


def _visible_tasks_in(clients: access.Shape, user_id: Any) -> QuerySet[Task]:
    readable = _own_tasks_of(user_id) | Q(client__isnull=True)
    if clients != access.NOBODY:
        readable |= Q(access.opens_row_client_in(clients, user_id))
    return Task.objects.filter(readable)


JournalShape = tuple[access.Shape, bool]


def journal_shape(user: Any) -> JournalShape:
    """All that the task journals read of a user besides his id: his client access and whether he sees every
    employee's journal. Their prepared statements (core.prepared) are keyed by it."""
    return access.visibility_shape(user), _journals_everyone(user)


def journal_tasks_in(shape: JournalShape, user_id: Any) -> QuerySet[Task]:
    """`journal_tasks` for a shape and a user id (the id may be a prepared statement's marker)."""
    clients, everyone = shape
    if everyone:
        return _visible_tasks_in(clients, user_id)
    return Task.objects.filter(_own_tasks_of(user_id))


def journal_tasks(user: Any) -> QuerySet[Task]:
    """The tasks the task journal, the control report, the monitor and the planners list: his own, or with the right
    every employee's about clients he may open (and project tasks)."""
    return journal_tasks_in(journal_shape(user), user.pk)


def journal_task_parts_in(shape: JournalShape) -> list[Callable[[Any], QuerySet[Task]]]:
    """`journal_tasks_in` as parts, each a function of the user id read along one index — given to him, set by
    him — for a page that merges them (`Keyset.read`); one part when it is one set (everyone's)."""
    if shape[1]:
        return [lambda user_id: journal_tasks_in(shape, user_id)]
    return [lambda user_id: Task.objects.filter(assignee_id=user_id),
            lambda user_id: Task.objects.filter(author_id=user_id)]


def journal_tasks_kept(user: Any) -> Q | None:
    """For a count over many tasks: the condition of the tasks `journal_tasks(user)` leaves out of all of them, when
    they are few — for a user who sees every employee's journal and opens every client but other curators' private
    ones, the tasks about those clients that are not his own. Counting all tasks along an index less these avoids
    checking each task's client. None when `journal_tasks` is not all tasks less a few."""
    if not (_journals_everyone(user) and access.opens_every_shared(user)):
        return None
    return Q(client__in=access.others_private_clients(user)) & ~own_tasks(user)


def hidden_tasks(user: Any) -> QuerySet[Task]:
    """Other employees' tasks kept from a holder of «журналы всех сотрудников» by client access alone: about a client
    he may not open — and not about someone else's private client, which is not even counted (private stays
    silent)."""
    if access.visibility_shape(user) == access.NOBODY or access.opens_every_shared(user):
        return Task.objects.none()
    shared = access.not_private_to_others(user).filter(pk=OuterRef("client_id"))
    return (Task.objects.filter(Exists(shared))
            .exclude(access.opens_row_client(user)).exclude(own_tasks(user)))


def client_shown(user: Any, task: Task) -> bool:
    """May the task's pages show its client (name, link to the card): the user may open the client. Else «клиент
    недоступен»."""
    client_id = task.client_id
    if client_id is None:
        return False
    return decided(("client_opens", user.pk, client_id),
                   lambda: access.openable_clients(user).filter(pk=client_id).exists())


def can_change_event(user: Any, event: Event) -> bool:
    """The author corrects his own event on the day it was made, on his own clock; administrators edit and delete;
    nobody else."""
    if is_administrator(user):
        return True
    return event.author_id == user.pk and event.created_at.astimezone(user_zone(user)).date() == user_today(user)


def can_edit_item(user: Any, item: ProjectItem) -> bool:
    """Anyone views the project planner; its responsible or an administrator edits a theme or case."""
    return is_administrator(user) or item.responsible_id == user.pk


# Giving work away in the project planner (PLN-03). An item is given by the one above it: the responsible of its
# parent (who split his own item into it), or an administrator. «Разрешено делегировать» (`delegation_allowed`),
# set by the giver, lets the item's own responsible pass it on to another user or split it into sub-cases; a
# theme's responsible always splits his theme into cases (a theme exists to hold cases). The flag itself is set by
# the giver only, so nobody grants it to himself.


def _gives(user: Any, item: ProjectItem, parent: ProjectItem | None) -> bool:
    return is_administrator(user) or (parent is not None and parent.responsible_id == user.pk)


def can_delegate_item(user: Any, item: ProjectItem, parent: ProjectItem | None) -> bool:
    """May the user make another user responsible for the item (the parent is `item.parent`, passed in as read)."""
    return _gives(user, item, parent) or (item.delegation_allowed and item.responsible_id == user.pk)


def can_split_item(user: Any, item: ProjectItem, parent: ProjectItem | None) -> bool:
    """May the user add a sub-case under the item."""
    if item.parent_id is None and item.responsible_id == user.pk:
        return True
    return can_delegate_item(user, item, parent)


def can_allow_delegation(user: Any, item: ProjectItem, parent: ProjectItem | None) -> bool:
    """May the user switch «Разрешено делегировать» of the item: its giver."""
    return _gives(user, item, parent)


def can_delete_item(user: Any, item: ProjectItem, parent: ProjectItem | None) -> bool:
    """May the user delete the item with its sub-cases: its giver, or a theme's own responsible."""
    return _gives(user, item, parent) or (item.parent_id is None and item.responsible_id == user.pk)


class EventPolicy(Policy[Event]):
    model = Event
    related = ("client", "author", "event_type", "result", "reaction", "stage", "contact")

    def visible(self, user: Any) -> QuerySet[Event]:
        return visible_events(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_events(user).filter(pk=obj.pk).exists()
        if action == "change":
            return can_change_event(user, obj) and self.can(user, "view", obj)
        if action == "delete":
            return is_administrator(user) and self.can(user, "view", obj)
        raise ValueError(f"unknown action {action!r}")


class TaskPolicy(Policy[Task]):
    model = Task
    related = ("client", "case", "author", "assignee")

    def visible(self, user: Any) -> QuerySet[Task]:
        return visible_tasks(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "view":
            return visible_tasks(user).filter(pk=obj.pk).exists()
        if action in ("change", "delete"):
            return (obj.author_id == user.pk or is_administrator(user)) and self.can(user, "view", obj)
        raise ValueError(f"unknown action {action!r}")


events = EventPolicy()
tasks = TaskPolicy()


def can_move_task(user: Any, task: Any) -> bool:
    """May the user move or stretch the task in the day planner (PLN-02): the rights of editing a task (its author, an
    administrator) and also its assignee, who arranges his own day; a closed task stays where it was done."""
    return task_mover(user)(task)


def task_mover(user: Any) -> Callable[[Any], bool]:
    """`can_move_task` for many tasks of one user (a day of hundreds): his rights are asked once."""
    administrator = is_administrator(user)

    def may_move(task: Any) -> bool:
        if task.state == Task.State.CLOSED:
            return False
        return administrator or task.author_id == user.pk or task.assignee_id == user.pk

    return may_move
