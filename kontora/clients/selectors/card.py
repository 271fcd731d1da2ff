"""Reads of the client card: its tab strip and header buttons with what other apps plugged in, and the one-row
tabs' rows (the client itself comes from `policies.clients.get`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode

from kontora.clients import hooks
from kontora.clients.models import Client
from kontora.core.models import SystemSettings
from kontora.core.selectors.settings import block_enabled

M = TypeVar("M", bound=models.Model)


def one_row(client: Client, related_name: str, model: type[M]) -> M:
    """A one-row tab's row of the client (registration, passport, mailing, security, shipping): the one read with the
    client when the view asked for it (`select_related`), else one query; an unsaved row while none is kept."""
    try:
        row = getattr(client, related_name)
    except ObjectDoesNotExist:
        row = None
    return row if row is not None else model(client=client)


def tab_shown(tab: hooks.CardTab, user: Any, client: Client | None, *, kind: str,
              system: Callable[[], SystemSettings]) -> bool:
    """Whether the card of `client` (None: a new card of `kind`) has this tab for this user (`system` read only when
    the tab belongs to a functionality block)."""
    if kind not in tab.kinds or (tab.block and not block_enabled(system(), tab.block)):
        return False
    if client is None and (tab.part is None or not tab.part.on_new_card):
        return False
    return tab.predicate is None or tab.predicate(user, client)


def card_tabs(user: Any, client: Client | None, *, kind: str, system: Callable[[], SystemSettings],
              among: Callable[[hooks.CardTab], bool] | None = None) -> list[hooks.CardTab]:
    """The registered tabs of this card (hooks.CARD_TABS) in the manual's order; a new card has only the parts that
    can be filled in before it is saved. `among`: only the tabs it picks are asked about (a save asks only about
    the parts the page sent: whether a tab is shown may cost a query)."""
    tabs = sorted(hooks.CARD_TABS.items(), key=lambda tab: (tab.order, tab.code))
    return [tab for tab in tabs if (among is None or among(tab))
            and tab_shown(tab, user, client, kind=kind, system=system)]


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
