"""Who may design, see, move and delete business processes (BPM-01 … BPM-04).

A run about a client is seen by those who see the client (`clients.access.visible_clients`) and by the
responsible of its current stage; a run without a client by everyone. Private clients stay private here
as everywhere.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kontora.accounts.models import User
from kontora.clients import access
from kontora.clients.models import Client
from kontora.core.permissions import is_administrator
from kontora.processes.models import ProcessRun

# Only administrators design processes (the manual: "Настройка процессов" is the administrator's).
can_design = is_administrator


def visible_runs(user: User) -> QuerySet[ProcessRun]:
    """Runs about clients the user sees, and the runs standing on the user's stage: the process hands him the work,
    so he sees its client on it — unless that client is someone else's private one (private stays private)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProcessRun.objects.none()
    on_my_stage = Q(responsible=user, client__in=access.not_private_to_others(user))
    return ProcessRun.objects.filter(
        Q(client__isnull=True) | Q(client__in=access.visible_clients(user)) | on_my_stage
    )


def can_start_for(user: User, client: Client | None) -> bool:
    """Starting a process about a client needs the client's card open to the user."""
    return client is None or access.can_open(user, client)


def can_progress(user: User, run: ProcessRun) -> bool:
    """The responsible of the current stage moves the run on; an administrator may stand in for him."""
    if run.is_closed:
        return False
    return run.responsible_id == user.pk or bool(user.is_admin)


def can_delete(user: User, run: ProcessRun) -> bool:
    """Only an administrator deletes, and only an unfinished run: a closed one is a record (manual)."""
    return bool(user.is_admin) and not run.is_closed
