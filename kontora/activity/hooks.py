"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.activity import policies
    from kontora.core.hooks import EXITS, MENU, POLICIES, MenuItem

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    for item in _exits():
        EXITS.register(item)
    # Отчёты → События (HIS-03): everyone's report lists his own events, or every employee's with the right.
    MENU.register(MenuItem("reports", _("Events"), "activity:events_report", order=10))


def _exits() -> list[Any]:
    from kontora.activity.policies import sees_all_employees
    from kontora.core.hooks import LIST, OPENS, ROWS, Exit

    task, event = "activity.Task", "activity.Event"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def words(obj: Any) -> dict[str, Any]:
        # The event found by its description's first word (the matrix's card marker) over its whole day and more.
        day = obj.created_at.date()
        return {"run": "1", "words": obj.description.split()[0], "date_from": (day - timedelta(days=1)).isoformat(),
                "date_to": (day + timedelta(days=1)).isoformat()}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # The events report: a first page of the whole report; one event's row found by its words, listed to those
        # who see every employee's events (the matrix's events are another curator's).
        Exit("activity:events_report", event, OPENS, data=lambda e: {"run": "1"}, answer=LIST, once=True),
        Exit("activity:events_report", event, OPENS, data=words, answer=ROWS, key="words", who=sees_all_employees),
    ]
