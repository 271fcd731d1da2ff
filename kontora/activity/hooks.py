"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any


def register() -> None:
    from kontora.activity import policies
    from kontora.core.hooks import EXITS, POLICIES

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    from kontora.core.hooks import OPENS, Exit

    task = "activity.Task"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
    ]
