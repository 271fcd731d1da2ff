"""Reads of started processes (BPM-02 … BPM-05), always through `policies.visible_runs` (the card level of the
client's access rules): the journal, the monitor and a run's protocol; and the processes offered to start. One run
is `policies.runs.get`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kontora.accounts.models import User
from kontora.clients import access
from kontora.core.ui.pager import Keyset, Page
from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, ProtocolEntry, Stage

NEWEST_FIRST = Keyset("-started_at", "-id")


@dataclass(frozen=True)
class JournalPage:
    runs: list[ProcessRun]
    pager: Page[ProcessRun]  # the keyset page the runs are (core.ui.pager): its links
    openable: frozenset[int]  # the clients among the rows whose card the user may open (the others are names)


def startable_processes() -> QuerySet[Process]:
    """Processes offered in «Запустить процесс»: those with a start stage (the service checks the rest)."""
    return Process.objects.filter(stages__is_start=True).distinct().order_by("name")


def run_journal(user: User, *, show_closed: bool = True, client_id: int | None = None) -> QuerySet[ProcessRun]:
    qs = policies.visible_runs(user).select_related("process", "client", "stage", "responsible", "started_by")
    if not show_closed:
        qs = qs.filter(is_closed=False)
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    return qs.order_by(*NEWEST_FIRST.order)


def journal_page(
    user: User, *, show_closed: bool = True, client_id: int | None = None, cursor: Mapping[str, str],
    size: int = 50,
) -> JournalPage:
    """«Журнал процессов», `size` rows at a time: keyset paging on (started_at, id) descending, no OFFSET, no COUNT."""
    page = NEWEST_FIRST.page(run_journal(user, show_closed=show_closed, client_id=client_id), cursor, size=size)
    runs = page.rows
    client_ids = {run.client_id for run in runs if run.client_id}
    openable: frozenset[int] = frozenset()
    if client_ids:  # one query for the whole page, none when no row has a client
        openable = frozenset(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True))
    return JournalPage(runs, page, openable)


def client_runs_page(user: User, *, client_id: int, cursor: Mapping[str, str], size: int = 50) -> Page[ProcessRun]:
    """The card's «Процессы» journal: the runs about one client (whose card the caller has opened), newest first,
    `size` at a time, from the user's visible runs."""
    return NEWEST_FIRST.page(run_journal(user, client_id=client_id), cursor, size=size)


def monitor_runs(user: User) -> QuerySet[ProcessRun]:
    """The process monitor (BPM-03): open runs standing on a stage the user is responsible for."""
    return (
        policies.visible_runs(user)
        .filter(responsible=user, is_closed=False)
        .select_related("process", "client", "stage")
        .order_by("stage_entered_at", "id")
    )


def protocol_of(run: ProcessRun) -> QuerySet[ProtocolEntry]:
    """The run's protocol (BPM-05), oldest first: its own record of every step, shown to users."""
    return run.protocol.select_related("user").order_by("at", "id")


def moved_on_from_users_stage(user: User, run_id: int, seen_stage_id: int | None) -> bool:
    """Has a run the user can no longer see been moved on from the stage his page was built for, a stage that was
    his: he moved it himself (in another tab, issue 11 F18), or it stood on his stage and someone moved it on.

    Then his stale page is told "already moved", not 404 — and nothing more: not where the run went, nor about what
    (he may not see that stage or client). A run that never passed his stage answers False, so the answer tells no
    one who guesses ids anything about runs that were never his."""
    if seen_stage_id is None:
        return False
    run = ProcessRun.objects.filter(pk=run_id).values("stage_id", "process_id").first()
    if run is None or run["stage_id"] == seen_stage_id:
        return False
    seen = Stage.objects.filter(pk=seen_stage_id, process_id=run["process_id"]).values("name", "responsible_id").first()
    if seen is None:
        return False
    left = ProtocolEntry.objects.filter(run_id=run_id, kind=ProtocolEntry.Kind.RESULT, stage_name=seen["name"])
    return left.filter(Q(user=user) if seen["responsible_id"] != user.pk else Q()).exists()
