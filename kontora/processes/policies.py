"""Who may design, see, move and delete business processes (BPM-01 … BPM-04).

A run about a client is client-owned data: it is seen by those who may open the client's card
(`clients.access.openable_clients`, the card level) and by the responsible of its current stage — the process hands
him the work, so he sees the run and its client's registry row on it, unless that client is someone else's private
one (private stays private). A run without a client is seen by everyone. `runs` is the run's policy object.

The journal lists a user's own runs (`own_runs`), or every employee's to a holder of «журналы всех сотрудников»
(`sees_all_employees`) — in both cases only those he may see; the runs client access alone keeps from him are
counted (`hidden_runs`), not listed: a run's process, stage and note are client-owned data, not registry columns.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from kontora.accounts.models import User
from kontora.accounts.policies import sees_all_employees as sees_all_employees  # the journals ask it here
from kontora.clients import access
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.permissions import Policy, is_administrator
from kontora.processes.models import ProcessRun, ProtocolEntry

# Only administrators design processes (the manual: "Настройка процессов" is the administrator's).
can_design = is_administrator


def visible_runs(user: User) -> QuerySet[ProcessRun]:
    """Runs about clients the user may open, and the runs standing on the user's stage (but never about someone
    else's private client)."""
    if access.visibility_shape(user) == access.NOBODY:
        return ProcessRun.objects.none()
    on_my_stage = Q(responsible=user, client__in=access.not_private_to_others(user))
    return ProcessRun.objects.filter(
        Q(client__isnull=True) | Q(client__in=access.openable_clients(user)) | on_my_stage
    )


def own_runs(user: User) -> Q:
    """The runs that are the user's work: he started it, it stands on his stage, he took a step of it, or it is
    about a client he curates or specialises in."""
    took_part = ProtocolEntry.objects.filter(run=OuterRef("pk"), user=user)
    return (Q(started_by=user) | Q(responsible=user) | Q(client__curator=user) | Q(client__specialist=user)
            | Q(Exists(took_part)))


def hidden_runs(user: User) -> QuerySet[ProcessRun]:
    """Runs kept from the user by client access alone: about a client he may not open, not on his stage — and not
    about someone else's private client, which is not even counted (private stays silent)."""
    if access.visibility_shape(user) == access.NOBODY:
        return ProcessRun.objects.none()
    return (ProcessRun.objects.filter(client__in=access.not_private_to_others(user))
            .exclude(client__in=access.openable_clients(user)).exclude(responsible=user))


def can_start_for(user: User, client: Client | None) -> bool:
    """Starting a process about a client is work on the client: it needs the client's card editable by the user
    (a read-only card does not offer «Запустить процесс», and the service refuses it alike)."""
    return client is None or client_policies.clients.can(user, "change", client)


def stage_reaches(stage: Any, client: Client | None) -> bool:
    """May a run about `client` stand on `stage`: its responsible sees runs on his stage unless the client is
    someone else's private client, and a run he cannot see would stall there (issue 11, F19)."""
    if client is None or stage.is_end or stage.responsible_id is None:
        return True
    return access.not_private_to_others(stage.responsible).filter(pk=client.pk).exists()


def can_progress(user: User, run: ProcessRun) -> bool:
    """The responsible of the current stage moves the run on; an administrator may stand in for him."""
    if run.is_closed:
        return False
    return run.responsible_id == user.pk or bool(user.is_admin)


def can_delete(user: User, run: ProcessRun) -> bool:
    """Only an administrator deletes, and only an unfinished run: a closed one is a record (manual)."""
    return bool(user.is_admin) and not run.is_closed


class RunPolicy(Policy[ProcessRun]):
    """A started process: `visible_runs`; "progress" and "delete" as above; "view_client": may the user open the
    run's client's card (else the run's pages show the client's registry row only)."""

    model = ProcessRun
    related = ("process", "client", "stage", "responsible", "started_by")

    def visible(self, user: Any) -> QuerySet[ProcessRun]:
        return visible_runs(user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        if action == "progress":
            return can_progress(user, obj)
        if action == "delete":
            return can_delete(user, obj)
        if action == "view_client":
            return obj.client_id is not None and client_policies.clients.can(user, "view", obj.client_id)
        if action == "view":
            return visible_runs(user).filter(pk=obj.pk).exists()
        raise ValueError(f"unknown action {action!r}")


runs = RunPolicy()
