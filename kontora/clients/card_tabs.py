"""Tabs and journals that plug into the client card (CLI-14).

The card itself owns its main form (main requisites, General, Operational work, Registration codes, Access,
Service). Every other tab — the Files tab, Bank, Mailing, Security, Shipping, and the journals later features
bring (history of relations, tasks, invoices, acts, sales, contracts…) — registers here when its app is ready
and is loaded into the card by htmx from its own URL, so the card never imports the features that extend it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise

from kontora.clients.models import Client

KINDS_ALL = frozenset({Client.Kind.COMPANY, Client.Kind.PERSON})


@dataclass(frozen=True)
class CardTab:
    code: str  # the pane id is "tab-<code>"
    label: str | Promise
    url_name: str  # reversed with the client's id; answers the pane's content
    # Position among the card's tabs, in the manual's order: Common 10, Operational work 20, Personnel or
    # Passport 30, Registration data 40, Attributes 45, Bank 50, Access 55, Mailing 60, Security 70,
    # Shipping 80, Service 90, Files 100; journals 200+.
    order: int
    kinds: frozenset[str] = KINDS_ALL
    # Extra condition (functionality toggles, edition, rights): (user, client) → shown?
    predicate: Callable[[Any, Client], bool] | None = None


_TABS: dict[str, CardTab] = {}


def register(tab: CardTab) -> CardTab:
    if tab.code in _TABS and _TABS[tab.code] != tab:
        raise ValueError(f"card tab {tab.code!r} registered twice")
    _TABS[tab.code] = tab
    return tab


def nav_for(user: Any, client: Client | None, builtin: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The card's tab strip: its own tabs (`builtin`: code, label, order) and the plugged-in ones, in order."""
    return sorted([*builtin, *tabs_for(user, client)], key=lambda tab: (tab["order"], tab["code"]))


def tabs_for(user: Any, client: Client | None) -> list[dict[str, Any]]:
    """The plugged-in tabs of this card, in order, with their URLs; a card not yet saved has none."""
    if client is None:
        return []
    shown = []
    for tab in sorted(_TABS.values(), key=lambda t: (t.order, t.code)):
        if client.kind not in tab.kinds or (tab.predicate is not None and not tab.predicate(user, client)):
            continue
        shown.append({"code": tab.code, "label": tab.label, "order": tab.order,
                      "url": reverse(tab.url_name, args=[client.pk])})
    return shown
