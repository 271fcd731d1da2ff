"""The Flexi-filter's conditions about activity (REG-04, the Statistics tab): builders `(operator, value, user) -> Q`
over clients, registered by `activity.hooks`. Each is an `Exists` or `pk__in` subquery read through an index of
events or tasks (no per-row Python), so the registry's filter stays one query.

They read card data (a client's history and tasks): registered with `reads=CARD`, so the engine compiles them
through `access.card_only` and they hold only on clients the user may open — a list-only user's filter tells
nothing of the events of a card he cannot open. Like the card's journals, they count every employee's events and
tasks of such a client.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kontora.activity.models import Event, Task
from kontora.core.selectors.calendar import day_bounds


def _events_of_client() -> QuerySet[Event]:
    return Event.objects.filter(client=OuterRef("pk"))


def last_event_date(operator: str, value: Any, user: Any) -> Q:
    """The day of the client's last event, on the user's clock: "on D" — an event that day and none after it; "before
    D" — events, none from D on; "after D" — one after D; "between" — the last one falls in the period. Clients
    without events have no last event date and match none of them. Read by the card's index (client, created_at)."""
    if operator == "between":
        low, high = date.fromisoformat(value[0]), date.fromisoformat(value[1])
    else:
        low = high = date.fromisoformat(value)
    start, end = day_bounds(user, low)[0], day_bounds(user, high)[1]
    later = Exists(_events_of_client().filter(created_at__gte=end))
    if operator == "after":
        return Q(later)
    if operator == "before":
        return Q(Exists(_events_of_client())) & ~Q(Exists(_events_of_client().filter(created_at__gte=start)))
    return Q(Exists(_events_of_client().filter(created_at__gte=start, created_at__lt=end))) & ~Q(later)


def events_counted(operator: str, value: dict[str, Any], user: Any) -> Q:
    """Events of the chosen types (none chosen: any) in the period (days on the user's clock; an end left open is
    open): "there are", "there are none", "at least N". The clients come from one grouped read of the events through
    the (event_type, created_at, client) index, not a query per client."""
    events = Event.objects.all()
    if value.get("items"):
        events = events.filter(event_type_id__in=value["items"])
    if value.get("from"):
        events = events.filter(created_at__gte=day_bounds(user, date.fromisoformat(value["from"]))[0])
    if value.get("to"):
        events = events.filter(created_at__lt=day_bounds(user, date.fromisoformat(value["to"]))[1])
    clients: QuerySet[Any, Any]
    if operator == "count_ge" and int(value["count"]) > 1:
        clients = (events.order_by().values("client_id").annotate(n=Count("id"))
                   .filter(n__gte=int(value["count"])).values("client_id"))
    else:
        clients = events.values("client_id")
    q = Q(pk__in=clients)
    return ~q if operator == "not_exists" else q


def _open_tasks() -> QuerySet[Task]:
    # The very condition of the partial index activity_task_open, so the planner may use it.
    return Task.objects.filter(client=OuterRef("pk")).exclude(state=Task.State.CLOSED)


def has_active_tasks(operator: str, value: Any, user: Any) -> Q:
    """A task about the client not closed yet (whoever set or was given it)."""
    q = Q(Exists(_open_tasks()))
    return q if operator == "is_true" else ~q


def has_overdue_tasks(operator: str, value: Any, user: Any) -> Q:
    """An active task about the client whose due time has passed."""
    q = Q(Exists(_open_tasks().filter(due_at__lt=timezone.now())))
    return q if operator == "is_true" else ~q
