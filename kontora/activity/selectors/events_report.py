"""The events report (HIS-03): the events of a period chosen by type, client, client status, result, users and words
of the description, in keyset pages (newest first), with totals by event type for the whole selection.

Everything starts from `policies.journal_events(user)`: a user's own events, or every employee's to a holder of
«журналы всех сотрудников» — never an event of a client he may not open.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet

from kontora.activity import policies
from kontora.activity.models import Event
from kontora.activity.selectors.events_search import description_matches
from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")


@dataclass(frozen=True)
class Parameters:
    """The report's choice; every part optional (None or empty: not narrowed)."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    event_type_id: int | None = None
    client_id: int | None = None
    status_id: int | None = None
    result_id: int | None = None
    author_ids: tuple[int, ...] = ()
    words: str = ""


@dataclass(frozen=True)
class TypeTotal:
    event_type_id: int
    name: str
    count: int


@dataclass(frozen=True)
class Report:
    page: Page[Event]
    totals: list[TypeTotal] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(item.count for item in self.totals)


def report_events(user: Any, params: Parameters) -> QuerySet[Event]:
    """The selected events the user may see (unordered)."""
    events = policies.journal_events(user)
    if params.date_from is not None:
        events = events.filter(created_at__gte=day_bounds(user, params.date_from)[0])
    if params.date_to is not None:
        events = events.filter(created_at__lt=day_bounds(user, params.date_to)[1])
    if params.event_type_id is not None:
        events = events.filter(event_type_id=params.event_type_id)
    if params.client_id is not None:
        events = events.filter(client_id=params.client_id)
    if params.status_id is not None:
        events = events.filter(client__status_id=params.status_id)
    if params.result_id is not None:
        events = events.filter(result_id=params.result_id)
    if params.author_ids:
        events = events.filter(author_id__in=params.author_ids)
    if params.words:
        events = events.filter(description_matches(params.words))
    return events


def type_totals(events: QuerySet[Event]) -> list[TypeTotal]:
    """How many of the events are of each type, most first (one grouped query)."""
    rows = (events.order_by().values("event_type_id", "event_type__name")
            .annotate(count=Count("id")).order_by("-count", "event_type__name"))
    return [TypeTotal(row["event_type_id"], row["event_type__name"], row["count"]) for row in rows]


def report(user: Any, params: Parameters, *, cursor: Mapping[str, str], size: int = 50) -> Report:
    """One page of the report; the first page also carries the totals by type (the pages after it do not repeat
    them)."""
    events = report_events(user, params)
    rows = events.select_related("client", "author", "event_type", "result")
    page = NEWEST_FIRST.page(rows, cursor, size=size)
    return Report(page, type_totals(events) if page.is_first else [])
