"""What group processing plugs into the others: «Групповая обработка» in the registry's context menu and in the
File menu, its job, its policy and the run page's exit."""

from __future__ import annotations

from typing import Any


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.bulk import policies, tasks
    from kontora.bulk.services.runs import BULK_JOB
    from kontora.clients.hooks import REGISTRY_ACTIONS, RegistryAction
    from kontora.core.hooks import EXITS, JOB_HANDLERS, MENU, POLICIES, JobHandler, MenuItem, right

    REGISTRY_ACTIONS.register(RegistryAction("group", _("Group processing"), "bulk:manager", policies.may_process,
                                             order=10))
    MENU.register(MenuItem("file", _("Group processing"), "bulk:manager", right(policies.RIGHT), order=5))
    JOB_HANDLERS.register(JobHandler(BULK_JOB, tasks.bulk_run_job))
    POLICIES.register(policies.outcomes)
    for item in _exits():
        EXITS.register(item)


def _exits() -> list[Any]:
    """The run page lists every outcome of its author's run: a client's name (a registry column) while he sees the
    client, what changed (card data) only while he opens it.

    One exit cannot say both levels of one page: it is declared at SEES with ROWS — the outcome's row shows its
    client's name exactly when the author sees the client (never for one he may not see) — while the crawler's scan
    of every answer fails on any card data of a client he may not open, whatever the exit's level. (OPENS with ROWS
    would want no name for a client only listed, which the page rightly shows; OPENS with LIST would not check that
    the name shows where it should.)"""
    from kontora.bulk import policies
    from kontora.core.hooks import ROWS, SEES, Exit

    return [
        Exit("bulk:run", "bulk.BulkOutcome", SEES, args=lambda outcome: {"run_id": outcome.run_id}, answer=ROWS,
             who=policies.may_process),
    ]
