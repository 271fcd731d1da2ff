"""Reads of the relationship history: the card's History journal (HIS-01, CLI-14)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from django.db.models import F, QuerySet

from kontora.activity.models import Event
from kontora.clients.models import Client
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")


@dataclass(slots=True)
class HistoryRow:
    """What the History journal shows of an event (`activity/partials/card_event_rows.html`)."""

    id: int
    created_at: datetime.datetime
    description: str
    next_contact_date: datetime.date | None
    event_type_name: str
    contact_name: str | None
    result_name: str | None
    reaction_name: str | None
    stage_name: str | None
    author_name: str

    @property
    def pk(self) -> int:
        return self.id


HISTORY_FIELDS = tuple(field.name for field in fields(HistoryRow))


def _client_events(values: Mapping[str, Any]) -> QuerySet[Event]:
    return Event.objects.filter(client_id=values["client"]).annotate(
        event_type_name=F("event_type__name"), contact_name=F("contact__full_name"), result_name=F("result__name"),
        reaction_name=F("reaction__name"), stage_name=F("stage__name"), author_name=F("author__full_name"))


def client_events_page(client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[HistoryRow]:
    """The card's History: every event about one client, newest first, `size` at a time (an index seek on
    (client, -created_at, -id), compiled once). The history belongs to the card: `client` is one the caller has
    opened (`clients.policies.clients.get`), and its events are shown to whoever opens it, every author's."""
    return NEWEST_FIRST.read(model=Event, key="activity.history", values={"client": client.pk},
                             parts=[_client_events], fields=HISTORY_FIELDS, make=HistoryRow, params=cursor,
                             size=size)


def clients_with_events(client_ids: list[int]) -> set[int]:
    """Those of the clients that have an event (asked before an import's clients are taken back: clients.hooks)."""
    return set(Event.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
