"""Reads of the relationship history: the card's History journal (HIS-01, CLI-14)."""

from __future__ import annotations

from collections.abc import Mapping

from kontora.activity.models import Event
from kontora.clients.models import Client
from kontora.core.ui.pager import Keyset, Page

NEWEST_FIRST = Keyset("-created_at", "-id")
ROW_RELATED = ("event_type", "contact", "result", "reaction", "stage", "author")


def client_events_page(client: Client, *, cursor: Mapping[str, str], size: int = 50) -> Page[Event]:
    """The card's History: every event about one client, newest first, `size` at a time (an index seek on
    (client, -created_at, -id)). The history belongs to the card: `client` is one the caller has opened
    (`clients.policies.clients.get`), and its events are shown to whoever opens it, every author's."""
    events = Event.objects.filter(client=client).select_related(*ROW_RELATED)
    return NEWEST_FIRST.page(events, cursor, size=size)
