"""Every write of business processes: the designer (BPM-01), start (BPM-02), progress (BPM-04), protocol (BPM-05).

A run moves only through `run_progress`, under a row lock and only from the stage the user saw, so two
tabs (or two people) cannot move one run twice. Each move writes its protocol line in the same
transaction; the next responsible is told on commit (BPM-03).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, ProtocolEntry, Stage, StageResult, StageState

audit = logging.getLogger("kontora.audit")

NAME_MAX = 200


def _name(value: str, field: str = "name") -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: _("Enter the name.")})
    if len(value) > NAME_MAX:
        raise ValidationError({field: _("The name is too long: at most %(limit)d characters.") % {"limit": NAME_MAX}})
    return value


def _siblings(queryset: QuerySet[Any], current: Any) -> QuerySet[Any]:
    """The other rows next to `current` (all of them for a new one)."""
    return queryset if current is None else queryset.exclude(pk=current.pk)


def _checked_name(value: str, siblings: QuerySet[Any], taken: str, errors: dict[str, str]) -> str:
    """The trimmed name; "" with the reason in errors["name"] when it is empty, too long or `taken` among siblings."""
    try:
        name = _name(value)
    except ValidationError as e:
        errors["name"] = e.message_dict["name"][0]
        return ""
    if siblings.filter(name__iexact=name).exists():
        errors["name"] = taken
    return name


def _require_designer(acting_user: Any) -> None:
    if not policies.can_design(acting_user):
        raise PermissionError("only administrators set up processes")


# --- the designer (BPM-01) -------------------------------------------------------------------------------


def process_save(*, acting_user: Any, process: Process | None = None, name: str, description: str = "") -> Process:
    """Creates a process or renames it; names are unique, compared without regard to case."""
    _require_designer(acting_user)
    name = _name(name)
    clash = Process.objects.filter(name__iexact=name)
    if process is not None:
        clash = clash.exclude(pk=process.pk)
    if clash.exists():
        raise ValidationError({"name": _("A process with this name already exists.")})
    with transaction.atomic():
        if process is None:
            process = Process.objects.create(name=name, description=description.strip(), created_by=acting_user)
        else:
            process.name, process.description = name, description.strip()
            process.save(update_fields=["name", "description"])
    audit.info("process #%s saved by %s", process.pk, acting_user.login)
    return process


def process_delete(*, acting_user: Any, process: Process) -> None:
    _require_designer(acting_user)
    if ProcessRun.objects.filter(process=process).exists():
        raise ValidationError(_("The process has been started: its runs keep it. It cannot be deleted."))
    with transaction.atomic():
        # Results point at stages (PROTECT): drop them first, then the stages go with the process.
        StageResult.objects.filter(stage__process=process).delete()
        process.delete()
    audit.info("process %r deleted by %s", process.name, acting_user.login)


def stage_save(
    *, acting_user: Any, process: Process, stage: Stage | None = None, name: str,
    is_start: bool = False, is_end: bool = False, responsible: Any = None,
) -> Stage:
    _require_designer(acting_user)
    errors: dict[str, str] = {}
    others = _siblings(Stage.objects.filter(process=process), stage)
    name = _checked_name(name, others, _("The process already has a stage with this name."), errors)
    if is_start and is_end:
        errors["is_end"] = _("A stage cannot be both the start and the end of the process.")
    if is_start and others.filter(is_start=True).exists():
        errors["is_start"] = _("The process already has a start stage: %(stage)s.") % {
            "stage": others.get(is_start=True).name
        }
    if is_end:
        if stage is not None and stage.results.exists():
            errors["is_end"] = _("An end stage has no results: delete the results of this stage first.")
    elif responsible is None:
        errors["responsible"] = _("Assign the responsible of the stage.")
    if responsible is not None and not responsible.is_active:
        errors["responsible"] = _(
            "The account of this user is disabled or the employee dismissed: choose a working user."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if stage is None:
            position = (others.aggregate(m=Max("position"))["m"] or 0) + 1
            stage = Stage.objects.create(
                process=process, name=name, position=position, is_start=is_start, is_end=is_end,
                responsible=None if is_end else responsible,
            )
        else:
            stage.name, stage.is_start, stage.is_end = name, is_start, is_end
            stage.responsible = None if is_end else responsible
            stage.save(update_fields=["name", "is_start", "is_end", "responsible"])
            # Runs waiting on this stage follow its new responsible.
            ProcessRun.objects.filter(stage=stage, is_closed=False).update(responsible=stage.responsible)
    return stage


def stage_delete(*, acting_user: Any, stage: Stage) -> None:
    _require_designer(acting_user)
    if ProcessRun.objects.filter(stage=stage).exists():
        raise ValidationError(_("Started processes stand on this stage: it cannot be deleted."))
    leading = StageResult.objects.filter(next_stage=stage).exclude(stage=stage).select_related("stage")
    if leading.exists():
        names = ", ".join(sorted({f"{r.stage.name} → {r.name}" for r in leading}))
        raise ValidationError(_("Results lead to this stage: %(results)s. Change them first.") % {"results": names})
    with transaction.atomic():
        StageResult.objects.filter(stage=stage).delete()
        stage.delete()


def result_save(
    *, acting_user: Any, stage: Stage, result: StageResult | None = None, name: str, next_stage: Stage | None,
) -> StageResult:
    _require_designer(acting_user)
    errors: dict[str, str] = {}
    others = _siblings(StageResult.objects.filter(stage=stage), result)
    name = _checked_name(name, others, _("The stage already has a result with this name."), errors)
    if stage.is_end:
        errors["name"] = _("An end stage has no results: the process closes on it.")
    if next_stage is None:
        errors["next_stage"] = _("Choose the stage this result leads to.")
    elif next_stage.process_id != stage.process_id:
        errors["next_stage"] = _("The transition must lead to a stage of the same process.")
    if errors:
        raise ValidationError(errors)
    assert next_stage is not None
    with transaction.atomic():
        if result is None:
            position = (others.aggregate(m=Max("position"))["m"] or 0) + 1
            result = StageResult.objects.create(stage=stage, name=name, next_stage=next_stage, position=position)
        else:
            result.name, result.next_stage = name, next_stage
            result.save(update_fields=["name", "next_stage"])
    return result


def result_delete(*, acting_user: Any, result: StageResult) -> None:
    _require_designer(acting_user)
    result.delete()


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


# --- runs (BPM-02 … BPM-05) -------------------------------------------------------------------------------


def _run_url(run: ProcessRun) -> str:
    return reverse("processes:run", args=[run.pk])


def _notify(acting_user: Any, run: ProcessRun) -> None:
    """Tells the responsible of the run's stage that it is his turn (on commit; never to oneself)."""
    recipient = run.stage.responsible
    if recipient is None or recipient.pk == acting_user.pk or not recipient.is_active:
        return
    from kontora.core.services.notifications import notification_send

    text = _("Process «%(process)s» #%(number)s is on your stage «%(stage)s».") % {
        "process": run.process.name, "number": run.pk, "stage": run.stage.name,
    }
    url = _run_url(run)
    transaction.on_commit(
        lambda: notification_send(acting_user=acting_user, recipient=recipient, text=text, url=url, kind="process")
    )


def run_start(*, acting_user: Any, process: Process | None, client: Any = None, note: str = "") -> ProcessRun:
    """Starts a process at its start stage (BPM-02); the scheme must be complete."""
    errors: dict[str, str] = {}
    if process is None:
        errors["process"] = _("Choose the process to start.")
    else:
        problems = process_problems(process)
        if problems:
            errors["process"] = _("The process is not set up completely: %(problems)s") % {
                "problems": " ".join(problems)
            }
    if client is not None and not policies.can_start_for(acting_user, client):
        errors["client"] = _("You cannot open this client's card, so you cannot start a process about it.")
    if errors:
        raise ValidationError(errors)
    assert process is not None
    now = timezone.now()
    with transaction.atomic():
        start = Stage.objects.select_related("responsible").get(process=process, is_start=True)
        run = ProcessRun.objects.create(
            process=process, client=client, note=(note or "").strip(), stage=start, stage_state=StageState.NEW,
            stage_entered_at=now, responsible=start.responsible, started_at=now, started_by=acting_user,
        )
        ProtocolEntry.objects.create(
            run=run, at=now, user=acting_user, kind=ProtocolEntry.Kind.START, stage_name=start.name,
            state=StageState.NEW, stage_entered_at=now, comment=run.note,
        )
        _notify(acting_user, run)
    audit.info("process run #%s (%s) started by %s", run.pk, process.name, acting_user.login)
    return run


def run_progress(
    *, acting_user: Any, run_id: int, seen_stage_id: int, state: str, result: StageResult | None = None,
    comment: str = "",
) -> ProcessRun:
    """Sets the state of the current stage and, with a result, moves the run on (BPM-04).

    `seen_stage_id` is the stage the user had in front of him: if the run has moved meanwhile, the
    change is refused instead of being applied to a stage he never saw.
    """
    if state not in StageState.values:
        raise ValidationError({"state": _("Choose the state of the stage.")})
    with transaction.atomic():
        run = (
            ProcessRun.objects.select_for_update()
            .select_related("process", "stage")
            .get(pk=run_id)
        )
        if run.is_closed:
            raise ValidationError(_("The process is closed: it can only be viewed."))
        if not policies.can_progress(acting_user, run):
            raise PermissionError("not the responsible of the current stage")
        if run.stage_id != seen_stage_id:
            raise ValidationError(
                _("The process has already moved to stage «%(stage)s»: reopen it to see where it stands.")
                % {"stage": run.stage.name}
            )
        errors: dict[str, str] = {}
        if result is not None and result.stage_id != run.stage_id:
            errors["result"] = _("This result belongs to another stage.")
        if state == StageState.DONE and result is None:
            errors["result"] = _("Choose the result of the stage: it decides where the process goes next.")
        if result is not None and state != StageState.DONE:
            errors["state"] = _("A result is given when the stage is completed: set the state «Completed».")
        if result is None and state == run.stage_state:
            errors["state"] = _("The stage already has this state.")
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        entry = ProtocolEntry(
            run=run, at=now, user=acting_user, stage_name=run.stage.name, state=state,
            stage_entered_at=run.stage_entered_at, comment=(comment or "").strip(),
        )
        if result is None:
            entry.kind = ProtocolEntry.Kind.STATE
            entry.save()
            run.stage_state = state
            run.save(update_fields=["stage_state"])
            return run
        nxt = Stage.objects.select_related("responsible").get(pk=result.next_stage_id)
        entry.kind = ProtocolEntry.Kind.RESULT
        entry.result_name, entry.next_stage_name = result.name, nxt.name
        entry.save()
        run.stage, run.stage_entered_at = nxt, now
        if nxt.is_end:
            run.is_closed, run.closed_at, run.responsible, run.stage_state = True, now, None, StageState.DONE
        else:
            run.responsible, run.stage_state = nxt.responsible, StageState.NEW
        run.save(update_fields=["stage", "stage_entered_at", "is_closed", "closed_at", "responsible", "stage_state"])
        if not run.is_closed:
            _notify(acting_user, run)
    audit.info("process run #%s: %s → %s by %s", run.pk, entry.stage_name, nxt.name, acting_user.login)
    return run


def run_delete(*, acting_user: Any, run: ProcessRun) -> None:
    """An administrator removes an unfinished run with its protocol (the manual's only way out of a scheme)."""
    if not policies.can_delete(acting_user, run):
        if run.is_closed:
            raise ValidationError(_("A closed process is a record: it cannot be deleted."))
        raise PermissionError("only administrators delete unfinished processes")
    number = run.pk
    with transaction.atomic():
        run.delete()
    audit.info("process run #%s (%s) deleted by %s", number, run.process.name, acting_user.login)
