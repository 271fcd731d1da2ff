"""Started processes: start (BPM-02), progress (BPM-04) and delete; each step is written to the run's protocol
(BPM-05) and to the audit in one transaction.

The protocol (`ProtocolEntry`) is the run's own record, shown to its users on the run's page and in its print
form; the audit row is the program's record of who changed what. A run moves only through `run_progress`,
under a row lock and only from the stage the user saw, so two tabs (or two people) cannot move one run twice;
the next responsible is told on commit (BPM-03).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kontora.accounts.models import User
from kontora.clients import policies as client_policies
from kontora.clients.models import Client
from kontora.core.audit import audit_record, changes_between, snapshot
from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.services.notifications import notification_send
from kontora.processes import locks, policies
from kontora.processes.models import Process, ProcessRun, ProtocolEntry, Stage, StageResult, StageState
from kontora.processes.selectors.setup import process_problems

# A run's fields as its audit rows show them: what it is about, and where it stands.
RUN_FIELDS = ("process", "client", "note", "stage", "stage_state", "responsible")
MOVE_FIELDS = ("stage", "stage_state", "responsible", "is_closed")


def _where(run: ProcessRun, names: tuple[str, ...]) -> dict[str, object]:
    """The run's values for its audit row; the state of the stage as the page names it."""
    values = snapshot(run, names)
    if "stage_state" in values:
        values["stage_state"] = run.get_stage_state_display()
    return values


def _notify(acting_user: User, run: ProcessRun) -> None:
    """Tells the responsible of the run's stage that it is his turn (on commit; never to oneself)."""
    recipient = run.stage.responsible
    if recipient is None or recipient.pk == acting_user.pk or not recipient.is_active:
        return
    text = _("Process «%(process)s» #%(number)s is on your stage «%(stage)s».") % {
        "process": run.process.name, "number": run.pk, "stage": run.stage.name,
    }
    url = reverse("processes:run", args=[run.pk])
    transaction.on_commit(
        lambda: notification_send(acting_user=acting_user, recipient=recipient, text=text, url=url, kind="process")
    )


def _unreachable(stage: Stage) -> str:
    return _(
        "The responsible of the stage «%(stage)s», %(user)s, cannot see this client: it is another user's private "
        "client. The process would stop there; ask the administrator to change the stage's responsible."
    ) % {"stage": stage.name, "user": stage.responsible}


def run_start(
    *, acting_user: User, process: Process | None, client: Client | None = None, note: str = "",
) -> ProcessRun:
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
        if client_policies.clients.can(acting_user, "view", client):
            errors["client"] = _("This client's card is read-only for you, so you cannot start a process about it.")
        else:
            errors["client"] = _("You cannot open this client's card, so you cannot start a process about it.")
    if errors:
        raise ValidationError(errors)
    assert process is not None
    now = timezone.now()
    with transaction.atomic():
        start = Stage.objects.select_related("responsible").get(process=process, is_start=True)
        if not policies.stage_reaches(start, client):
            raise ValidationError({"client": _unreachable(start)})
        run = ProcessRun.objects.create(
            process=process, client=client, note=(note or "").strip(), stage=start, stage_state=StageState.NEW,
            stage_entered_at=now, responsible=start.responsible, started_at=now, started_by=acting_user,
        )
        ProtocolEntry.objects.create(
            run=run, at=now, user=acting_user, kind=ProtocolEntry.Kind.START, stage_name=start.name,
            state=StageState.NEW, stage_entered_at=now, comment=run.note,
        )
        audit_record(actor=acting_user, event="processes.run.start", summary=_("Process started"), target=run,
                     client=client, changes=changes_between(ProcessRun, {}, _where(run, RUN_FIELDS), RUN_FIELDS))
        _notify(acting_user, run)
    return run


def run_progress(
    *, acting_user: User, run_id: int, seen_stage_id: int, state: str, result: StageResult | None = None,
    comment: str = "", seen_entered: datetime | None = None,
) -> ProcessRun:
    """Sets the state of the current stage and, with a result, moves the run on (BPM-04).

    `seen_stage_id` is the stage the user had in front of him (and `seen_entered`, when given, when the run entered
    it: a scheme may lead back to a stage): if the run has moved meanwhile, the change is refused as a stale page
    (whoever sends it) instead of being applied to a stage he never saw.
    """
    if state not in StageState.values:
        raise ValidationError({"state": _("Choose the state of the stage.")})
    with transaction.atomic():
        run = locks.run_to_move(run_id)
        # A page of a stage the run has left is stale, also when the move closed the run (issue 11, F18).
        if run.stage_id != seen_stage_id or (seen_entered is not None and seen_entered != run.stage_entered_at):
            raise Conflict(
                _("The process has already moved to stage «%(stage)s»: reopen it to see where it stands.")
                % {"stage": run.stage.name}
            )
        if run.is_closed:
            raise Refused(_("The process is closed: it can only be viewed."))
        if not policies.can_progress(acting_user, run):
            raise NotAllowed
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
        before = _where(run, MOVE_FIELDS)
        entry = ProtocolEntry(
            run=run, at=now, user=acting_user, stage_name=run.stage.name, state=state,
            stage_entered_at=run.stage_entered_at, comment=(comment or "").strip(),
        )
        if result is None:
            entry.kind = ProtocolEntry.Kind.STATE
            run.stage_state = state
            run.save(update_fields=["stage_state"])
        else:
            nxt = Stage.objects.select_related("responsible").get(pk=result.next_stage_id)
            if not policies.stage_reaches(nxt, run.client):
                raise ValidationError({"result": _unreachable(nxt)})
            entry.kind = ProtocolEntry.Kind.RESULT
            entry.result_name, entry.next_stage_name = result.name, nxt.name
            run.stage, run.stage_entered_at = nxt, now
            if nxt.is_end:
                run.is_closed, run.closed_at, run.responsible, run.stage_state = True, now, None, StageState.DONE
            else:
                run.responsible, run.stage_state = nxt.responsible, StageState.NEW
            run.save(update_fields=["stage", "stage_entered_at", "is_closed", "closed_at", "responsible",
                                    "stage_state"])
        entry.save()
        audit_record(
            actor=acting_user, event="processes.run.progress", summary=entry.get_kind_display(), target=run,
            client=run.client_id, changes=changes_between(ProcessRun, before, _where(run, MOVE_FIELDS), MOVE_FIELDS),
            extra={"result": result.name} if result is not None else None,
        )
        if result is not None and not run.is_closed:
            _notify(acting_user, run)
    return run


def run_delete(*, acting_user: User, run: ProcessRun) -> None:
    """An administrator removes an unfinished run with its protocol (the manual's only way out of a scheme)."""
    with transaction.atomic():
        run = locks.run_to_delete(run.pk)
        if not policies.can_delete(acting_user, run):
            if run.is_closed:
                raise Refused(_("A closed process is a record: it cannot be deleted."))
            raise NotAllowed
        audit_record(actor=acting_user, event="processes.run.delete", summary=_("Started process deleted"),
                     target=run, client=run.client_id,
                     changes=changes_between(ProcessRun, _where(run, RUN_FIELDS), {}, RUN_FIELDS))
        run.delete()
