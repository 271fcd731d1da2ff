"""What processes plugs into the others: the card's «Запустить процесс» (CLI-13), the Assistant's process
monitor (BPM-03), its menu items and its right. Clients and core render what is registered."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import ADDITIONAL, ADMIN_ONLY, RIGHTS, Right
    from kontora.clients.hooks import CARD_ACTIONS, CardAction
    from kontora.core.hooks import MENU, MONITORS, MenuItem, Monitor, admins
    from kontora.processes import policies
    from kontora.processes.selectors import runs as selectors

    RIGHTS.register(Right(
        "delete_unfinished_processes", _("Delete unfinished processes"),
        _("Delete business processes that have not reached their end stage."), ADDITIONAL, roles=ADMIN_ONLY,
        order=180,
    ))
    CARD_ACTIONS.register(CardAction(
        "start_process", _("Start process"), "processes:start", order=10,
        predicate=lambda user, client: policies.can_start_for(user, client)
        and selectors.startable_processes().exists(),
    ))
    MONITORS.register(Monitor("processes", "processes:monitor", order=20))
    MENU.register(MenuItem("processes", _("Process journal"), "processes:journal", order=10))
    # processes.policies.can_design: administrators only.
    MENU.register(MenuItem("processes", _("Process setup"), "processes:setup", admins, order=20))
