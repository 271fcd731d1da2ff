"""Buttons other apps put in the client card's header (CLI-13: «Запустить процесс»).

Like the card's tabs (card_tabs.py), an action registers when its app is ready, so the card never imports
the feature behind the button. The action's page gets the client as `?client=<id>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode

from kontora.clients.models import Client


@dataclass(frozen=True)
class CardAction:
    key: str
    label: str | Promise
    url_name: str  # reversed without arguments; the client goes in the query string
    order: int = 100
    # Extra condition (rights, functionality, data set up): (user, client) → shown?
    predicate: Callable[[Any, Client], bool] | None = None


_ACTIONS: dict[str, CardAction] = {}


def register(action: CardAction) -> CardAction:
    if action.key in _ACTIONS and _ACTIONS[action.key] != action:
        raise ValueError(f"card action {action.key!r} registered twice")
    _ACTIONS[action.key] = action
    return action


def actions_for(user: Any, client: Client | None) -> list[dict[str, Any]]:
    """The header's buttons for this card, in order; a card not yet saved has none."""
    if client is None or client.pk is None:
        return []
    shown = []
    for action in sorted(_ACTIONS.values(), key=lambda a: (a.order, a.key)):
        if action.predicate is not None and not action.predicate(user, client):
            continue
        url = f"{reverse(action.url_name)}?{urlencode({'client': client.pk})}"
        shown.append({"key": action.key, "label": action.label, "url": url})
    return shown
