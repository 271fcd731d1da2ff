"""Reads of the process designer (BPM-01): the list of schemes, one scheme with its stages, what keeps it from
being started. Only designers read schemes here; a process offered to start is read in `selectors.runs`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, Stage, StageResult


@dataclass(frozen=True)
class ProcessRow:
    """A line of Process setup: the process (with `stage_count` and `run_count`) and its problems."""

    process: Process
    problems: list[str]


@dataclass(frozen=True)
class Scheme:
    """The process editor: the stages in order, each with its results and where they lead."""

    stages: list[Stage]
    problems: list[str]
    run_count: int


def process_problems(process: Process, stages: Iterable[Stage] | None = None) -> list[str]:
    """What keeps the scheme from being started; empty when it is complete. `stages`: the process's stages
    with their results already fetched (a list of processes, the editor), else they are read here."""
    stages = list(process.stages.prefetch_related("results") if stages is None else stages)
    problems: list[str] = []
    if not any(s.is_start for s in stages):
        problems.append(_("The process has no start stage."))
    if not any(s.is_end for s in stages):
        problems.append(_("The process has no end stage."))
    for s in stages:
        if s.is_end:
            continue
        if s.responsible_id is None:
            problems.append(_("Stage «%(stage)s» has no responsible.") % {"stage": s.name})
        if not s.results.all():
            problems.append(_("Stage «%(stage)s» has no results: the process could not leave it.") % {"stage": s.name})
    return problems


def process_list() -> list[ProcessRow]:
    """Every process by name, its problems read from one prefetch of stages and results."""
    processes = (
        Process.objects.annotate(stage_count=Count("stages", distinct=True), run_count=Count("runs", distinct=True))
        .prefetch_related("stages__results")
        .order_by("name")
    )
    return [ProcessRow(process, process_problems(process, process.stages.all())) for process in processes]


def process_scheme(process: Process) -> Scheme:
    results = StageResult.objects.select_related("next_stage").order_by("position", "id")
    stages = list(
        Stage.objects.filter(process=process)
        .select_related("responsible")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("position", "id")
    )
    return Scheme(stages, process_problems(process, stages), ProcessRun.objects.filter(process=process).count())


def _designer(user: User) -> None:
    # The designer's pages answer 403 before they get here (policy_required); a read outside them finds nothing.
    if not policies.can_design(user):
        raise Http404


def access_process(user: User, process_id: int) -> Process:
    """A process for the designer, or 404."""
    _designer(user)
    return get_object_or_404(Process, pk=process_id)


def access_stage(user: User, stage_id: int) -> Stage:
    """A stage (with its process) for the designer, or 404."""
    _designer(user)
    return get_object_or_404(Stage.objects.select_related("process"), pk=stage_id)


def access_result(user: User, result_id: int) -> StageResult:
    """A result (with its stage and process) for the designer, or 404."""
    _designer(user)
    return get_object_or_404(StageResult.objects.select_related("stage__process"), pk=result_id)
