"""Extension points (core.hooks): apps plug into each other by registration, from their hooks.py."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from kontora.clients.hooks import CARD_ACTIONS, CARD_TABS
from kontora.core.hooks import JOB_HANDLERS, MENU, MONITORS, Point


@dataclass(frozen=True)
class _Item:
    key: str
    label: str


def test_a_point_keeps_items_in_registration_order_and_refuses_a_taken_key() -> None:
    point: Point[_Item] = Point("test", key=lambda item: item.key)
    first = point.register(_Item("a", "Первый"))
    point.register(_Item("b", "Второй"))
    point.register(_Item("a", "Первый"))  # the same item again: harmless (a module imported twice)
    assert point.items() == [first, _Item("b", "Второй")]
    assert point.get("b").label == "Второй" and "b" in point
    with pytest.raises(ValueError, match="test: 'a' registered twice"):
        point.register(_Item("a", "Другой"))
    point.unregister("b")
    assert "b" not in point


def test_every_app_has_plugged_in_when_ready() -> None:
    # Each app's hooks.register() ran: items of core, accounts, directories, clients and processes are there.
    urls = {item.url_name for item in MENU.items()}
    assert {"core:constants", "accounts:users", "directories:banks", "clients:export", "processes:journal"} <= urls
    assert {"processes"} <= {monitor.key for monitor in MONITORS.items()}
    assert {"files", "bank", "mailing"} <= {tab.code for tab in CARD_TABS.items()}
    assert "start_process" in CARD_ACTIONS
    assert {"backup", "banks_import"} <= {handler.kind for handler in JOB_HANDLERS.items()}
