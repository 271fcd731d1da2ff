"""What the board plugs into the others: its menu item (Plans and tasks) and its exits."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.core.hooks import EXITS, MENU, MenuItem

    MENU.register(MenuItem("plans", _("Sales ladder board"), "pipeline:board", group=30, order=10))
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    from kontora.core.hooks import EDITS, LIST, OPENS, Exit

    client = "clients.Client"

    def column(c: Any) -> dict[str, Any]:
        return {"stage": str(c.ladder_stage_id or "off")}

    def move(c: Any) -> dict[str, Any]:
        return {"client": c.pk}

    return [
        # The board and a column's next cards: the stage is card data, so only clients the user opens are cards.
        Exit("pipeline:board", client, OPENS, answer=LIST, once=True),
        Exit("pipeline:column", client, OPENS, data=column, answer=LIST),
        # The move form names the client and its stage; moving it is editing it.
        Exit("pipeline:move", client, EDITS, data=move),
        Exit("pipeline:move", client, EDITS, "POST", data=lambda c: {"client": c.pk, "seen_stage": "",
                                                                      "description": "—"}),
    ]
