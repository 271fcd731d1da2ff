"""What activity plugs into the others: its policies (and, as they land, the card's History and Tasks journals, the
task monitor, menu items, rights, filter fields and the periodic reminder job). Clients and core render what is
registered; clients imports nothing of activity."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import PASSWORD_CHANGED
    from kontora.activity import policies
    from kontora.activity.views import feeds
    from kontora.core.hooks import EXITS, PARAMETERS_TABS, POLICIES, ParametersTab

    POLICIES.register(policies.events)
    POLICIES.register(policies.tasks)
    # PLN-04: the calendar address dies with the password it may have leaked with.
    PASSWORD_CHANGED.register(_password_changed)
    PARAMETERS_TABS.register(ParametersTab(
        key="calendar", label=_("Calendar"), template="activity/parameters_calendar.html",
        form_factory=feeds.parameters_tab_form, save=feeds.parameters_tab_save,
    ))
    for item in _exits():
        EXITS.register(item)


def _password_changed(acting_user: Any, user: Any) -> None:
    from kontora.activity.services.feeds import calendar_feed_rotate

    calendar_feed_rotate(acting_user=acting_user, user=user)


def _exits() -> list[Any]:
    from kontora.activity.policies import sees_all_employees
    from kontora.core.hooks import OPENS, ROWS, Exit
    from kontora.core.selectors.calendar import office_zone

    task = "activity.Task"

    def pk(obj: Any) -> dict[str, Any]:
        return {"pk": obj.pk}

    def its_day(obj: Any) -> dict[str, Any]:
        # The crawler's users live on the office's clock: the task's day there is the viewer's day.
        return {"user": obj.assignee_id, "date": obj.starts_at.astimezone(office_zone()).date().isoformat()}

    return [
        Exit("activity:task", task, OPENS, args=pk),
        # Another user's day plan: only to holders of «журналы всех сотрудников», and only his tasks about clients
        # the viewer opens (anyone else gets his own plan); the PDF is the same page drawn by the print module.
        Exit("activity:day_print", task, OPENS, data=its_day, answer=ROWS, who=sees_all_employees),
    ]
