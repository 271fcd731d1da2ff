"""What group processing plugs into the others: «Групповая обработка» in the registry's context menu and in the
File menu, its job and its policy."""

from __future__ import annotations


def register() -> None:
    from django.utils.translation import gettext_lazy as _

    from kontora.bulk import policies, tasks
    from kontora.bulk.services.runs import BULK_JOB
    from kontora.clients.hooks import REGISTRY_ACTIONS, RegistryAction
    from kontora.core.hooks import JOB_HANDLERS, MENU, POLICIES, JobHandler, MenuItem, right

    REGISTRY_ACTIONS.register(RegistryAction("group", _("Group processing"), "bulk:manager", policies.may_process,
                                             order=10))
    MENU.register(MenuItem("file", _("Group processing"), "bulk:manager", right(policies.RIGHT), order=5))
    JOB_HANDLERS.register(JobHandler(BULK_JOB, tasks.bulk_run_job))
    POLICIES.register(policies.outcomes)
