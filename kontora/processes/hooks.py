"""What processes plugs into the others: the card's «Запустить процесс» (CLI-13) and its «Процессы» journal, the
Assistant's process monitor (BPM-03), its menu items and its right. Clients and core render what is registered."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kontora.accounts.hooks import ADDITIONAL, ADMIN_ONLY, RIGHTS, Right
    from kontora.clients.hooks import CARD_ACTIONS, CARD_TABS, CLIENT_ROWS, CardAction, CardTab, ClientRows
    from kontora.core.hooks import EXITS, MENU, MONITORS, POLICIES, MenuItem, Monitor, admins
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
    # The card's journal of the processes run about the client (its pane lists them from the user's visible runs).
    CARD_TABS.register(CardTab("processes", _("Processes"), "processes:card_runs", order=210))
    MONITORS.register(Monitor("processes", "processes:monitor", order=20))
    POLICIES.register(policies.runs)
    CLIENT_ROWS.register(ClientRows("processes", _("Processes"), selectors.clients_with_runs))
    for item in _exits():
        EXITS.register(item)
    # The journal is one page; its menu item says what it shows: a user's own processes, or every employee's to
    # those with «журналы всех сотрудников» (a supervisor's and a manager's menus differ where their rights do).
    MENU.register(MenuItem("processes", _("Process journal"), "processes:journal", _own_journal, order=10))
    MENU.register(MenuItem("processes", _("Process journal of all employees"), "processes:journal", _all_journal,
                           order=10, query=f"whose={selectors.EVERYONE}"))
    # processes.policies.can_design: administrators only.
    MENU.register(MenuItem("processes", _("Process setup"), "processes:setup", admins, order=20))


def _own_journal(user: Any, system: Any) -> bool:
    from kontora.processes import policies

    return not policies.sees_all_employees(user)


def _all_journal(user: Any, system: Any) -> bool:
    from kontora.processes import policies

    return policies.sees_all_employees(user)


# The levels of a run exit (the crawler of the tests knows them): OPENS — the run is seen (its client opens, or it
# stands on the user's stage and the client is not another curator's private one); MOVES — seen and moved on by
# the user (its stage's responsible, or an administrator); ON_STAGE — seen and standing on the user's stage.
MOVES, ON_STAGE = "moves", "on_stage"


def _exits() -> list[Any]:
    from kontora.core.hooks import LIST, OPENS, PAGE, ROWS, SEES, Exit
    from kontora.core.permissions import is_administrator

    run, client = "processes.ProcessRun", "clients.Client"

    def pk(run: Any) -> dict[str, Any]:
        return {"pk": run.pk}

    return [
        Exit("processes:run", run, OPENS, args=pk),
        Exit("processes:run", run, MOVES, "POST", args=pk, data=lambda r: {"seen_stage_id": r.stage_id}),
        Exit("processes:run_print", run, OPENS, args=pk),
        Exit("processes:run_delete", run, OPENS, "POST", args=pk, who=is_administrator, removes=True),
        Exit("processes:journal", run, OPENS, answer=LIST, once=True),
        Exit("processes:journal", run, OPENS, data=lambda r: {"client": r.client_id}, answer=ROWS, key="client"),
        Exit("processes:monitor", run, ON_STAGE, answer=ROWS, once=True),
        # the card's «Процессы» journal: the card's own pane, for those who open the card
        Exit("processes:card_runs", client, OPENS, args=lambda c: {"client_id": c.pk}),
        Exit("processes:start", client, SEES, data=lambda c: {"client": c.pk}, answer=PAGE),
        # The start form posted with a client's id: answered with the form (and its errors) whatever the client.
        Exit("processes:start", client, SEES, "POST", data=lambda c: {"client": c.pk}, answer=LIST),
    ]
