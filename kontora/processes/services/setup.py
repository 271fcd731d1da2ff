"""The process designer (BPM-01): processes, their stages and the results that lead from stage to stage.

Only designers (`policies.can_design`) write here. Names are checked here, not only in the forms, so one
message says why wherever a name comes from. Every write leaves one audit row in its own transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.core.audit import audited_create, audited_delete, audited_update
from kontora.core.errors import NotAllowed, Refused
from kontora.processes import policies
from kontora.processes.models import Process, ProcessRun, Stage, StageResult

NAME_MAX = 200
# The fields the designer edits, as the audit rows show them.
PROCESS_FIELDS = ("name", "description")
STAGE_FIELDS = ("name", "is_start", "is_end", "responsible")
RESULT_FIELDS = ("name", "next_stage")


def _require_designer(acting_user: User) -> None:
    if not policies.can_design(acting_user):
        raise NotAllowed


def _name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({"name": _("Enter the name.")})
    if len(value) > NAME_MAX:
        raise ValidationError({"name": _("The name is too long: at most %(limit)d characters.") % {"limit": NAME_MAX}})
    return value


def _siblings(queryset: QuerySet[Any], current: models.Model | None) -> QuerySet[Any]:
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


def _next_position(siblings: QuerySet[Any]) -> int:
    """The place after the last sibling (an order of display, not a number)."""
    return (siblings.aggregate(last=Max("position"))["last"] or 0) + 1




# --- processes ----------------------------------------------------------------------------------------------


def process_save(*, acting_user: User, process: Process | None = None, name: str, description: str = "") -> Process:
    """Creates a process or renames it; names are unique, compared without regard to case."""
    _require_designer(acting_user)
    name = _name(name)
    if _siblings(Process.objects.filter(name__iexact=name), process).exists():
        raise ValidationError({"name": _("A process with this name already exists.")})
    data = {"name": name, "description": description.strip()}
    with transaction.atomic():
        if process is None:
            process = audited_create(Process, {**data, "created_by": acting_user}, actor=acting_user,
                                     event="processes.process", fields=PROCESS_FIELDS, summary=_("Process created"))
        else:
            audited_update(process, actor=acting_user, event="processes.process", summary=_("Process changed"),
                           data=data, fields=PROCESS_FIELDS)
    return process


def process_delete(*, acting_user: User, process: Process) -> None:
    """Deletes a process never started, with its stages and results."""
    _require_designer(acting_user)
    if ProcessRun.objects.filter(process=process).exists():
        raise Refused(_("The process has been started: its runs keep it. It cannot be deleted."))
    with transaction.atomic():
        # Results point at stages (PROTECT): drop them first, then the stages go with the process.
        StageResult.objects.filter(stage__process=process).delete()
        audited_delete(process, actor=acting_user, event="processes.process", summary=_("Process deleted"),
                       fields=PROCESS_FIELDS)


# --- stages -------------------------------------------------------------------------------------------------


def stage_save(
    *, acting_user: User, process: Process, stage: Stage | None = None, name: str,
    is_start: bool = False, is_end: bool = False, responsible: User | None = None,
) -> Stage:
    """Creates or changes a stage: one start stage per process, an end stage has neither results nor a
    responsible, every other stage a working responsible. Runs waiting on the stage follow its responsible."""
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
    data = {"name": name, "is_start": is_start, "is_end": is_end, "responsible": None if is_end else responsible}
    with transaction.atomic():
        if stage is None:
            stage = audited_create(Stage, {**data, "process": process, "position": _next_position(others)},
                                   actor=acting_user, event="processes.stage", fields=STAGE_FIELDS,
                                   summary=_("Stage created"))
        else:
            audited_update(stage, actor=acting_user, event="processes.stage", summary=_("Stage changed"), data=data,
                           fields=STAGE_FIELDS)
            # Runs waiting on this stage follow its new responsible.
            ProcessRun.objects.filter(stage=stage, is_closed=False).update(responsible=stage.responsible)
    return stage


def stage_delete(*, acting_user: User, stage: Stage) -> None:
    """Deletes a stage no run stands on and no other stage's result leads to, with its own results."""
    _require_designer(acting_user)
    if ProcessRun.objects.filter(stage=stage).exists():
        raise Refused(_("Started processes stand on this stage: it cannot be deleted."))
    leading = StageResult.objects.filter(next_stage=stage).exclude(stage=stage).select_related("stage")
    if leading.exists():
        names = ", ".join(sorted({f"{r.stage.name} → {r.name}" for r in leading}))
        raise Refused(_("Results lead to this stage: %(results)s. Change them first.") % {"results": names})
    with transaction.atomic():
        StageResult.objects.filter(stage=stage).delete()
        audited_delete(stage, actor=acting_user, event="processes.stage", summary=_("Stage deleted"),
                       fields=STAGE_FIELDS)


# --- results ------------------------------------------------------------------------------------------------


def result_save(
    *, acting_user: User, stage: Stage, result: StageResult | None = None, name: str, next_stage: Stage | None,
) -> StageResult:
    """Creates or changes a result of a stage and the stage of the same process it leads to."""
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
    data = {"name": name, "next_stage": next_stage}
    with transaction.atomic():
        if result is None:
            result = audited_create(StageResult, {**data, "stage": stage, "position": _next_position(others)},
                                    actor=acting_user, event="processes.result", fields=RESULT_FIELDS,
                                    summary=_("Result created"))
        else:
            audited_update(result, actor=acting_user, event="processes.result", summary=_("Result changed"),
                           data=data, fields=RESULT_FIELDS)
    return result


def result_delete(*, acting_user: User, result: StageResult) -> None:
    _require_designer(acting_user)
    with transaction.atomic():
        audited_delete(result, actor=acting_user, event="processes.result", summary=_("Result deleted"),
                       fields=RESULT_FIELDS)
