"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.activity import policies
    from kontora.clients.hooks import CARD_TABS, CardTab
    from kontora.core.hooks import EXITS, POLICIES

    # The card's «История взаимоотношений» journal (HIS-01, CLI-14): not the card's change history («Сервис»).
    CARD_TABS.register(CardTab("events", _("Relationship history"), "activity:card_events", order=200,
                               short_label=_("History")))
    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    from kontora.core.hooks import EDITS, OPENS, Exit
    from kontora.core.permissions import is_administrator

    task, event, client = "activity.Task", "activity.Event", "clients.Client"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def card(obj: Any) -> dict[str, Any]:
        return {"client_id": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # the card's History: its pane, the new event's form; an event's form (read-only to all who open the
        # client; corrected by its author on its day — none in the matrix — or an administrator) and its deletion
        Exit("activity:card_events", client, OPENS, args=card),
        Exit("activity:event_new", client, EDITS, args=card),
        Exit("activity:event_new", client, EDITS, "POST", args=card),
        Exit("activity:event", event, OPENS, args=pk),
        Exit("activity:event", event, EDITS, "POST", args=pk, who=is_administrator),
        Exit("activity:event_delete", event, EDITS, "POST", args=pk, who=is_administrator, removes=True),
    ]
