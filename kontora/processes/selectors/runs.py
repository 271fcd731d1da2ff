"""Reads of started processes (BPM-02 … BPM-05), always through `policies.visible_runs` (the card level of the
client's access rules): the journal, the monitor and a run's protocol; and the processes offered to start. One run
is `policies.runs.get`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from kontora.accounts.models import User
from kontora.clients import access
from kontora.core.ui.pager import AFTER, BEFORE, Keyset, Page
from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, ProtocolEntry, Stage

NEWEST_FIRST = Keyset("-started_at", "-id")
# Whose runs the journal lists: the user's own work, or every employee's (policies.sees_all_employees).
MINE, EVERYONE = "mine", "all"


@dataclass(frozen=True)
class JournalPage:
    runs: list[ProcessRun]
    pager: Page[ProcessRun]  # the keyset page the runs are (core.ui.pager): its links
    openable: frozenset[int]  # the clients among the rows whose card the user may open (the others are names)
    whose: str  # MINE or EVERYONE: what the rows are
    hidden: int  # runs of the same choice kept from the user by client access alone (counted on the first page)


def startable_processes() -> QuerySet[Process]:
    """Processes offered in «Запустить процесс»: those with a start stage (the service checks the rest)."""
    return Process.objects.filter(stages__is_start=True).distinct().order_by("name")


def journal_whose(user: User, asked: str | None) -> str:
    """Whose runs the journal lists: every employee's by default for a user who may see them, else (and whatever
    is asked) his own."""
    if not policies.sees_all_employees(user):
        return MINE
    return MINE if asked == MINE else EVERYONE


def _chosen(qs: QuerySet[ProcessRun], user: User, *, show_closed: bool, client_id: int | None, whose: str
            ) -> QuerySet[ProcessRun]:
    if not show_closed:
        qs = qs.filter(is_closed=False)
    if client_id is not None:
        # One client's runs are its card's journal: all of them, to whoever may open it.
        return qs.filter(client_id=client_id)
    return qs if whose == EVERYONE else qs.filter(policies.own_runs(user))


def run_journal(user: User, *, show_closed: bool = True, client_id: int | None = None,
                whose: str | None = None) -> QuerySet[ProcessRun]:
    """The runs the journal lists, newest first: the user's own (or every employee's, `journal_whose`), of those
    he may see."""
    qs = policies.visible_runs(user).select_related("process", "client", "stage", "responsible", "started_by")
    qs = _chosen(qs, user, show_closed=show_closed, client_id=client_id, whose=journal_whose(user, whose))
    return qs.order_by(*NEWEST_FIRST.order)


def hidden_count(user: User, *, show_closed: bool = True, whose: str | None = None) -> int:
    """How many runs of the journal's choice client access keeps from the user (policies.hidden_runs)."""
    qs = _chosen(policies.hidden_runs(user), user, show_closed=show_closed, client_id=None,
                 whose=journal_whose(user, whose))
    return qs.count()


def journal_page(
    user: User, *, show_closed: bool = True, client_id: int | None = None, whose: str | None = None,
    cursor: Mapping[str, str], size: int = 50,
) -> JournalPage:
    """«Журнал процессов», `size` rows at a time: keyset paging on (started_at, id) descending, no OFFSET; the
    first page of the whole journal counts the rows client access hides (one query), a client's journal does not
    (it would count the processes of a client the user may only list)."""
    whose = journal_whose(user, whose)
    page = NEWEST_FIRST.page(run_journal(user, show_closed=show_closed, client_id=client_id, whose=whose), cursor,
                             size=size)
    runs = page.rows
    client_ids = {run.client_id for run in runs if run.client_id}
    openable: frozenset[int] = frozenset()
    if client_ids:  # one query for the whole page, none when no row has a client
        openable = frozenset(access.openable_clients(user).filter(pk__in=client_ids).values_list("pk", flat=True))
    first = AFTER not in cursor and BEFORE not in cursor
    hidden = hidden_count(user, show_closed=show_closed, whose=whose) if first and client_id is None else 0
    return JournalPage(runs, page, openable, whose, hidden)


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


def clients_with_runs(client_ids: list[int]) -> set[int]:
    """Those of the clients that have a process run (asked before an import's clients are taken back)."""
    return set(ProcessRun.objects.filter(client_id__in=client_ids).values_list("client_id", flat=True).distinct())
