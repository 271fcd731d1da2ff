"""The events report (HIS-03): the events of a period chosen by type, client, client status, result, users and words
of the description, in keyset pages (newest first), with totals by event type for the whole selection.

Everything starts from `policies.journal_events(user)`: a user's own events, or every employee's to a holder of
«журналы всех сотрудников» — never an event of a client he may not open.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from kontora.activity import policies
from kontora.activity.models import Event
from kontora.activity.selectors.events_search import (
    description_matches,
    newest_matches,
    planned_with,
    search_words,
    words_share,
)
from kontora.core.selectors.calendar import day_bounds
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")
# With words: the totals by type count at most CAP events (past it: not counted); on SQLite a page first reads the
# newest PROBE matches.
PROBE, CAP = 500, 10_000


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
    # The words match more than CAP events of the period: the totals are not counted (the rows are all there).
    uncounted: bool = False

    @property
    def total(self) -> int:
        return sum(item.count for item in self.totals)


def report_events(user: Any, params: Parameters) -> QuerySet[Event]:
    """The selected events the user may see (unordered)."""
    return _chosen(policies.journal_events(user), user, params)


def _chosen(events: QuerySet[Event], user: Any, params: Parameters) -> QuerySet[Event]:
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


def selection_totals(user: Any, params: Parameters) -> list[TypeTotal]:
    """`type_totals` of the whole selection. For a user kept only from other curators' private clients, all
    events' counts (along the type index alone) less those about such clients (along their own index): checking
    each event's client would cost a key lookup per event of the period."""
    kept = policies.journal_events_kept(user)
    if kept is None:
        return type_totals(report_events(user, params))
    totals = {item.event_type_id: item for item in type_totals(_chosen(Event.objects.all(), user, params))}
    for item in type_totals(_chosen(kept, user, params)):
        whole = totals[item.event_type_id]
        totals[item.event_type_id] = replace(whole, count=whole.count - item.count)
    return sorted((item for item in totals.values() if item.count), key=lambda item: (-item.count, item.name))


def _related(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("client", "author", "event_type", "result")


def report(user: Any, params: Parameters, *, cursor: Mapping[str, str], size: int = 50) -> Report:
    """One page of the report; the first page also carries the totals by type (the pages after it do not repeat
    them).

    With words, the period's matches are counted first, from the words' index alone and at most CAP + 1 of them;
    how many there are decides how the page is read (and past CAP the totals are not counted: `uncounted`)."""
    words = search_words(params.words)
    if not words:
        page = NEWEST_FIRST.page(_related(report_events(user, params)), cursor, size=size)
        return Report(page, selection_totals(user, params) if page.is_first else [])
    if cursor.get(BEFORE) and not cursor.get(AFTER):  # back towards the top: rarely read, from every match
        return Report(NEWEST_FIRST.page(_related(report_events(user, params)), cursor, size=size))
    others = report_events(user, replace(params, words=""))
    start = day_bounds(user, params.date_from)[0] if params.date_from is not None else None
    end = day_bounds(user, params.date_to)[1] if params.date_to is not None else None
    seek = NEWEST_FIRST.decode(cursor.get(AFTER, ""), Event)
    if seek is not None and (end is None or seek[0] < end):
        end = seek[0]  # this page's rows are no newer than the cursor's
    if connection.vendor == "sqlite":
        return _sqlite_words(others, words, start, end, cursor, size)
    return _postgresql_words(others, params.words, start, end, cursor, size)


Instant = datetime.datetime | None


def _sqlite_words(others: QuerySet[Event], words: list[str], start: Instant, end: Instant,
                  cursor: Mapping[str, str], size: int) -> Report:
    """The FTS index hands over a period's matches newest first (by the second, then by id), so a page is read
    from the newest PROBE of them — exact whenever it fills from them, as any match left out is older than all of
    them — and only else from all of them."""
    capped = newest_matches(words, start=start, end=end, limit=CAP + 1)
    with connection.cursor() as db:
        db.execute(f"SELECT count(*) FROM ({capped.sql})", capped.params)  # noqa: S608 — the FTS query above
        (matched,) = db.fetchone()
    probe = newest_matches(words, start=start, end=end, limit=PROBE)
    page = NEWEST_FIRST.page(_related(others.filter(pk__in=probe)), cursor, size=size)
    if not page.after and matched > min(PROBE, CAP):  # the newest did not fill the page: read from all of them
        every = capped if matched <= CAP else newest_matches(words, start=start, end=end)
        page = NEWEST_FIRST.page(_related(others.filter(pk__in=every)), cursor, size=size)
    if not page.is_first:
        return Report(page)
    if matched > CAP:
        return Report(page, uncounted=True)
    return Report(page, type_totals(others.filter(pk__in=capped)))


def _postgresql_words(others: QuerySet[Event], text: str, start: Instant, end: Instant,
                      cursor: Mapping[str, str], size: int) -> Report:
    """Words that many events of the period hold are met walking the events newest first (a page reads a few
    hundred rows); fewer come from the GIN index, all of them at once, up to CAP. The planner cannot choose: it
    rates every word prefix alike, so the words' own statistics choose (`words_share`), and where they do not tell
    for sure the GIN index counts; each read is planned without the other way."""
    period = Event.objects.all()
    if start is not None:
        period = period.filter(created_at__gte=start)
    if end is not None:
        period = period.filter(created_at__lt=end)
    share = words_share(search_words(text))
    if share is None or share * _estimated_rows(period) <= 2 * CAP:
        matches = period.filter(description_matches(text)).order_by().values_list("pk", flat=True)
        # The bitmap of a common prefix outgrows the default 4 MB and turns lossy (every row of a page rechecked).
        with planned_with(enable_seqscan="off", enable_indexscan="off", enable_indexonlyscan="off", work_mem="32MB"):
            found = list(matches[: CAP + 1])
        if len(found) <= CAP:
            events = others.filter(pk__in=found)
            page = NEWEST_FIRST.page(_related(events), cursor, size=size)
            return Report(page, type_totals(events) if page.is_first else [])
    with planned_with(enable_bitmapscan="off", enable_seqscan="off"):
        page = NEWEST_FIRST.page(_related(others.filter(description_matches(text))), cursor, size=size)
    return Report(page, uncounted=page.is_first)


def _estimated_rows(events: QuerySet[Event]) -> float:
    """PostgreSQL: the planner's estimate of the number of `events` (EXPLAIN: nothing is read) — good for a period
    of dates, which its histogram knows."""
    sql, params = events.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as db:
        db.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = db.fetchone()
    return float(plan[0]["Plan"]["Plan Rows"])
