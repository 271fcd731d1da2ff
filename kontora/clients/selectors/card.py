"""Reads of the client card: its tab strip and header buttons, with what other apps plugged in."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from kontora.clients import hooks
from kontora.clients.models import Client


def card_nav(user: Any, client: Client | None, builtin: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The card's tab strip: its own tabs (`builtin`: code, label, order) and the plugged-in ones, in order."""
    return sorted([*builtin, *card_tabs(user, client)], key=lambda tab: (tab["order"], tab["code"]))


def card_tabs(user: Any, client: Client | None) -> list[dict[str, Any]]:
    """The plugged-in tabs of this card (hooks.CARD_TABS), in order, with their URLs; a new card has none."""
    if client is None:
        return []
    shown = []
    for tab in sorted(hooks.CARD_TABS.items(), key=lambda t: (t.order, t.code)):
        if client.kind not in tab.kinds or (tab.predicate is not None and not tab.predicate(user, client)):
            continue
        shown.append({"code": tab.code, "label": tab.label, "order": tab.order,
                      "url": reverse(tab.url_name, args=[client.pk])})
    return shown


def card_actions(user: Any, client: Client | None) -> list[dict[str, Any]]:
    """The header's buttons for this card (hooks.CARD_ACTIONS), in order; a card not yet saved has none."""
    if client is None or client.pk is None:
        return []
    shown = []
    for action in sorted(hooks.CARD_ACTIONS.items(), key=lambda a: (a.order, a.key)):
        if action.predicate is not None and not action.predicate(user, client):
            continue
        url = f"{reverse(action.url_name)}?{urlencode({'client': client.pk})}"
        shown.append({"key": action.key, "label": action.label, "url": url})
    return shown
