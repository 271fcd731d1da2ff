"""Row locks of business processes (core.locks): a run is moved on or deleted by one transaction at a time."""

from __future__ import annotations

from kontora.core.locks import locked
from kontora.processes.models import ProcessRun

_ALONG = ("process", "client", "stage", "responsible")


def run_to_move(run_id: int) -> ProcessRun:
    """The run, locked until the move commits: two tabs (or two people) cannot move it twice (BPM-04).

    What the checks, the protocol and the audit row read comes along; only the run's own row is locked.
    """
    return locked(ProcessRun.objects.filter(pk=run_id)).select_related(*_ALONG).get()


def run_to_delete(run_id: int) -> ProcessRun:
    """The run, locked with its key (a DELETE takes that lock anyway): it cannot close while it is being deleted."""
    return locked(ProcessRun.objects.filter(pk=run_id), key_update=True).select_related(*_ALONG).get()
