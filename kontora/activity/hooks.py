"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.activity import policies
    from kontora.core.hooks import EXITS, MENU, POLICIES, MenuItem

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    # The project planner (PLN-03): open to everyone; its items have no client, so its pages are no exits.
    MENU.register(MenuItem("plans", _("Project planner"), "activity:projects", order=30))
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
