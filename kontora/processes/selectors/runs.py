"""Reads of business processes, always through `policies.visible_runs` (the client's access rules)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, ProtocolEntry


def startable_processes() -> QuerySet[Process]:
    """Processes offered in «Запустить процесс»: those with a start stage (the service checks the rest)."""
    return Process.objects.filter(stages__is_start=True).distinct().order_by("name")


def run_journal(user: Any, *, show_closed: bool = True, client_id: int | None = None) -> QuerySet[ProcessRun]:
    qs = policies.visible_runs(user).select_related("process", "client", "stage", "responsible", "started_by")
    if not show_closed:
        qs = qs.filter(is_closed=False)
    if client_id is not None:
        qs = qs.filter(client_id=client_id)
    return qs.order_by("-started_at", "-id")


def monitor_runs(user: Any) -> QuerySet[ProcessRun]:
    """The process monitor (BPM-03): open runs standing on a stage the user is responsible for."""
    return (
        policies.visible_runs(user)
        .filter(responsible=user, is_closed=False)
        .select_related("process", "client", "stage")
        .order_by("stage_entered_at", "id")
    )


def access_run(user: Any, run_id: int) -> ProcessRun:
    """The run or 404 — the same 404 whether it does not exist or its client is hidden from the user."""
    run = run_journal(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def protocol_of(run: ProcessRun) -> QuerySet[ProtocolEntry]:
    return run.protocol.select_related("user").order_by("at", "id")
