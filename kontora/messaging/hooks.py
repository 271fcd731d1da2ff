"""What messaging plugs into the others — the «Почта» and «SMS» tabs of Settings → Parameters, the outbox's worker
tasks, the journal «Исходящие письма» (its menu items and exits) — and
its own point: SEND_NOW, the worker's task that sends one queued letter at once (registered here from tasks.py, so
the services hand a letter over on commit without importing the tasks)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kontora.core.hooks import Point

SEND_NOW: Point[Callable[[int], Any]] = Point("send a letter now", key=lambda item: "now")
SEND_DUE: Point[Callable[[], Any]] = Point("send the due letters now", key=lambda item: "due")


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.core.hooks import EXITS, MENU, PARAMETERS_TABS, POLICIES, MenuItem, ParametersTab
    from kontora.messaging import policies, tasks, views

    PARAMETERS_TABS.register(ParametersTab(
        key="mail", label=_("Mail"), template="messaging/parameters_mail.html",
        form_factory=views.parameters_tab_form, save=views.parameters_tab_save,
    ))
    PARAMETERS_TABS.register(ParametersTab(
        key="sms", label=_("SMS"), template="messaging/parameters_sms.html",
        form_factory=views.sms_tab_form, save=views.sms_tab_save,
    ))
    SEND_NOW.register(tasks.letter_send_now)
    SEND_DUE.register(tasks.letters_send_due_now)
    POLICIES.register(policies.letters)
    # The journal is one page; its menu item says what it shows, as the other journals' do.
    MENU.register(MenuItem("journals", _("Outgoing letters"), "messaging:outbox", _own_journal, order=30))
    MENU.register(MenuItem("journals", _("Outgoing letters of all employees"), "messaging:outbox", _all_journal,
                           order=30, query="whose=all"))
    for item in _exits():
        EXITS.register(item)


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.messaging import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.messaging import policies

    return policies.sees_all_employees(user)


def _exits() -> list[Any]:
    """The journal lists letters about clients; a letter's page and its resend reveal and change one."""
    from kontora.core.hooks import LIST, OPENS, ROWS, Exit

    letter = "messaging.Letter"

    def pk(row: Any) -> dict[str, Any]:
        return {"pk": row.pk}

    return [
        # everyone's letters to a holder of «журналы всех сотрудников»: nothing out of sight in them
        Exit("messaging:outbox", letter, OPENS, answer=LIST, once=True),
        # one's own: exactly those about clients he opens (fewer than a page)
        Exit("messaging:outbox", letter, OPENS, data=lambda row: {"whose": "mine"}, answer=ROWS, once=True,
             key="mine"),
        Exit("messaging:letter", letter, OPENS, args=pk),
        Exit("messaging:letter_resend", letter, OPENS, "POST", args=pk),
    ]
