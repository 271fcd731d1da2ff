"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.activity import policies
    from kontora.clients.hooks import CARD_TABS, CardTab
    from kontora.core.hooks import EXITS, POLICIES

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    # The card's «Задачи» journal (CLI-14): every task about the client, to whoever opens the card.
    CARD_TABS.register(CardTab("tasks", _("Tasks"), "activity:card_tasks", order=205))
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    from kontora.core.hooks import NOBODY, OPENS, Exit
    from kontora.core.permissions import is_administrator

    task, client = "activity.Task", "clients.Client"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # The task's form: its author's or an administrator's (the matrix's tasks are a stranger's).
        Exit("activity:task", task, OPENS, "POST", args=pk, who=is_administrator),
        # A transition: only the task's author or assignee (never a matrix user).
        Exit("activity:task_transition", task, NOBODY, "POST", args=pk,
             data=lambda t: {"action": "done", "seen_state": t.state}),
        Exit("activity:task_delete", task, OPENS, "POST", args=pk, who=is_administrator, removes=True),
        # «Новая задача» about a client: the same 404 as the card's for a client the user may not open.
        Exit("activity:task_new", client, OPENS, data=lambda c: {"client": c.pk}),
        Exit("activity:task_new", client, OPENS, "POST", data=lambda c: {"client": c.pk}),
        # the card's «Задачи» journal: the card's own pane, for those who open the card
        Exit("activity:card_tasks", client, OPENS, args=lambda c: {"client_id": c.pk}),
    ]
