"""Started processes' services (BPM-02 … BPM-05) on the manual's example «Обработка рекламации»: start, progress,
delete, the protocol each writes, and their audit rows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kontora.core.errors import Conflict, NotAllowed, Refused
from kontora.core.models import AuditEvent, Notification
from kontora.processes.models import ProcessRun, ProtocolEntry, StageState
from kontora.processes.selectors import runs as selectors
from kontora.processes.selectors.setup import process_problems
from kontora.processes.services import runs as services
from kontora.processes.services import setup as designer
from tests.clients.factories import ClientFactory

pytestmark = pytest.mark.usefixtures("english")


def _row() -> AuditEvent:
    """The audit row the service just wrote (every write service writes exactly one)."""
    return AuditEvent.objects.get()


@pytest.mark.feature("BPM-01")
def test_incomplete_scheme_is_named_and_cannot_start(admin_user, manager_user):
    # given
    p = designer.process_save(acting_user=admin_user, name="Черновик")
    designer.stage_save(acting_user=admin_user, process=p, name="Начало", is_start=True, responsible=manager_user)
    # when / then
    assert process_problems(p) == [
        "The process has no end stage.", "Stage «Начало» has no results: the process could not leave it.",
    ]
    with pytest.raises(ValidationError) as e:
        services.run_start(acting_user=manager_user, process=p)
    assert "The process is not set up completely" in e.value.message_dict["process"][0]
    assert not ProcessRun.objects.exists()


@pytest.mark.feature("BPM-02")
@pytest.mark.feature("BPM-03")
@pytest.mark.feature("BPM-04")
@pytest.mark.feature("BPM-05")
def test_run_walks_the_scheme_notifies_each_responsible_and_logs_the_protocol(
    claim, admin_user, manager_user, django_capture_on_commit_callbacks,
):
    # given
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    got, analysis, memo, end = claim["stages"]
    results, ivanov = claim["results"], claim["ivanov"]
    # when: started by the administrator, the run sits on the start stage of the manager
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_start(acting_user=admin_user, process=claim["process"], client=client, note="Брак")
    # then
    assert (run.stage, run.responsible, run.stage_state) == (got, manager_user, StageState.NEW)
    assert list(selectors.monitor_runs(manager_user)) == [run]
    assert Notification.objects.get(user=manager_user).url == f"/processes/{run.pk}/"
    # when: the manager takes it into work, then completes it with «уместна»
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.IN_WORK)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk,
                                    state=StageState.DONE, result=results["fits"])
    # then: Ivanov has it, the manager no more
    assert (run.stage, run.responsible) == (analysis, ivanov)
    assert list(selectors.monitor_runs(manager_user)) == []
    assert Notification.objects.filter(user=ivanov).count() == 1
    # when: a stale tab of the manager tries the start stage again: refused as a stale page
    with pytest.raises(Conflict) as stale:
        services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk,
                              state=StageState.DONE, result=results["unfit"])
    assert stale.value.message == (
        "The process has already moved to stage «Анализ рекламации»: reopen it to see where it stands."
    )
    # when: Ivanov finishes it through the memo
    with pytest.raises(ValidationError) as e:
        services.run_progress(acting_user=ivanov, run_id=run.pk, seen_stage_id=analysis.pk, state=StageState.DONE)
    assert e.value.message_dict["result"] == ["Choose the result of the stage: it decides where the process goes next."]
    services.run_progress(acting_user=ivanov, run_id=run.pk, seen_stage_id=analysis.pk,
                          state=StageState.DONE, result=results["ours"])
    run = services.run_progress(acting_user=ivanov, run_id=run.pk, seen_stage_id=memo.pk,
                                state=StageState.DONE, result=results["any"], comment="Подписано")
    # then: closed on the end stage, read-only, not deletable
    assert run.is_closed and run.stage == end and run.responsible is None
    with pytest.raises(Refused) as closed:
        services.run_progress(acting_user=admin_user, run_id=run.pk, seen_stage_id=end.pk, state=StageState.IN_WORK)
    assert closed.value.message == "The process is closed: it can only be viewed."
    with pytest.raises(Refused) as kept:
        services.run_delete(acting_user=admin_user, run=run)
    assert kept.value.message == "A closed process is a record: it cannot be deleted."
    protocol = [(e.kind, e.stage_name, e.state, e.result_name, e.next_stage_name, e.user.login)
                for e in selectors.protocol_of(run)]
    assert protocol == [
        (ProtocolEntry.Kind.START, "Получена рекламация", "new", "", "", "admin"),
        (ProtocolEntry.Kind.STATE, "Получена рекламация", "in_work", "", "", "manager"),
        (ProtocolEntry.Kind.RESULT, "Получена рекламация", "done", "Рекламация уместна", "Анализ рекламации",
         "manager"),
        (ProtocolEntry.Kind.RESULT, "Анализ рекламации", "done", "Виноваты мы", "Докладная руководству", "ivanov"),
        (ProtocolEntry.Kind.RESULT, "Докладная руководству", "done", "Любой результат", "Конец", "ivanov"),
    ]


@pytest.mark.feature("BPM-04")
def test_only_the_responsible_or_an_administrator_moves_the_run(claim, admin_user, manager_user):
    # given: the run on the manager's start stage
    run = services.run_start(acting_user=admin_user, process=claim["process"])
    got = claim["stages"][0]
    # when / then: Ivanov (not his stage yet) is not allowed, nothing is written
    with pytest.raises(NotAllowed):
        services.run_progress(acting_user=claim["ivanov"], run_id=run.pk, seen_stage_id=got.pk,
                              state=StageState.IN_WORK)
    assert ProtocolEntry.objects.filter(run=run).count() == 1
    # and the administrator may stand in for the manager
    services.run_progress(acting_user=admin_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.IN_WORK)
    assert ProcessRun.objects.get(pk=run.pk).stage_state == StageState.IN_WORK


@pytest.mark.feature("BPM-04")
def test_only_an_administrator_deletes_an_unfinished_run(claim, admin_user, manager_user):
    # given
    run = services.run_start(acting_user=manager_user, process=claim["process"])
    # when / then
    with pytest.raises(NotAllowed):
        services.run_delete(acting_user=manager_user, run=run)
    services.run_delete(acting_user=admin_user, run=run)
    assert not ProcessRun.objects.exists() and not ProtocolEntry.objects.exists()


@pytest.mark.feature("BPM-02")
def test_run_start_writes_a_row_about_the_client(claim, admin_user, manager_user):
    # given
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    AuditEvent.objects.all().delete()
    # when
    run = services.run_start(acting_user=admin_user, process=claim["process"], client=client, note="Брак")
    # then: one row, on the client's history, next to the run's own protocol line
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.client_id, row.summary) == (
        "processes.run.start", admin_user, "processes.processrun", run.pk, client.pk, "Process started")
    assert row.changes == [
        {"field": "Process", "old": "", "new": "Обработка рекламации"},
        {"field": "Client", "old": "", "new": str(client)},
        {"field": "Note", "old": "", "new": "Брак"},
        {"field": "Current stage", "old": "", "new": "Получена рекламация"},
        {"field": "Stage state", "old": "", "new": "Not started"},
        {"field": "Responsible", "old": "", "new": "Алексей Менеджеров"},
    ]
    assert ProtocolEntry.objects.filter(run=run).count() == 1


@pytest.mark.feature("BPM-04")
def test_run_progress_writes_a_row_per_move(claim, admin_user, manager_user):
    # given
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    run = services.run_start(acting_user=admin_user, process=claim["process"], client=client)
    got = claim["stages"][0]
    AuditEvent.objects.all().delete()
    # when: the state of the stage changes
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.IN_WORK)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.client_id, row.summary) == (
        "processes.run.progress", manager_user, "processes.processrun", run.pk, client.pk, "Stage state changed")
    assert row.changes == [{"field": "Stage state", "old": "Not started", "new": "In work"}]
    # when: a result moves it to Ivanov's stage
    AuditEvent.objects.all().delete()
    services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                          result=claim["results"]["fits"])
    # then
    row = _row()
    assert (row.event, row.actor, row.client_id, row.summary, row.extra) == (
        "processes.run.progress", manager_user, client.pk, "Result and transition", {"result": "Рекламация уместна"})
    assert row.changes == [
        {"field": "Current stage", "old": "Получена рекламация", "new": "Анализ рекламации"},
        {"field": "Stage state", "old": "In work", "new": "Not started"},
        {"field": "Responsible", "old": "Алексей Менеджеров", "new": "Иван Иванов"},
    ]


@pytest.mark.feature("BPM-04")
def test_run_delete_writes_a_row_about_the_client(claim, admin_user, manager_user):
    # given
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    run = services.run_start(acting_user=manager_user, process=claim["process"], client=client)
    pk = run.pk
    AuditEvent.objects.all().delete()
    # when
    services.run_delete(acting_user=admin_user, run=run)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.client_id, row.summary) == (
        "processes.run.delete", admin_user, "processes.processrun", pk, client.pk, "Started process deleted")
    assert {"field": "Process", "old": "Обработка рекламации", "new": ""} in row.changes
    assert not ProcessRun.objects.filter(pk=pk).exists()


class _Abandoned(Exception):
    """Raised by a test to roll its own transaction back."""


@pytest.mark.feature("BPM-02")
@pytest.mark.django_db(transaction=True)
def test_a_start_rolled_back_by_the_callers_transaction_leaves_no_trace(claim, admin_user, manager_user):
    # given
    AuditEvent.objects.all().delete()
    # when: the run is started inside a transaction that then fails
    with pytest.raises(_Abandoned), transaction.atomic():
        services.run_start(acting_user=admin_user, process=claim["process"], note="Брак")
        raise _Abandoned
    # then: neither the run, nor its protocol, nor its audit row
    assert not ProcessRun.objects.exists() and not ProtocolEntry.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("BPM-02", "BPM-04", "ACL-03")
def test_a_run_never_goes_onto_a_stage_whose_responsible_cannot_see_its_private_client(claim, manager_user):
    # given the manager's private client and, the control, an ordinary one of his
    secret = ClientFactory(short_name="Тайный", curator=manager_user, is_private=True)
    plain = ClientFactory(short_name="Обычный", curator=manager_user)
    got = claim["stages"][0]
    runs = {c.short_name: services.run_start(acting_user=manager_user, process=claim["process"], client=c)
            for c in (secret, plain)}
    # when the manager moves both on to the analysis, which is Ivanov's
    with pytest.raises(ValidationError) as refused:
        services.run_progress(acting_user=manager_user, run_id=runs["Тайный"].pk, seen_stage_id=got.pk,
                              state=StageState.DONE, result=claim["results"]["fits"])
    services.run_progress(acting_user=manager_user, run_id=runs["Обычный"].pk, seen_stage_id=got.pk,
                          state=StageState.DONE, result=claim["results"]["fits"])
    # then the private client's run stays where it was, with a message naming the stage and why (F19)
    assert refused.value.message_dict["result"] == [
        "The responsible of the stage «Анализ рекламации», Иван Иванов, cannot see this client: it is another "
        "user's private client. The process would stop there; ask the administrator to change the stage's "
        "responsible."]
    assert ProcessRun.objects.get(pk=runs["Тайный"].pk).stage == got
    assert ProtocolEntry.objects.filter(run=runs["Тайный"]).count() == 1
    # while the other run moved on to Ivanov
    assert ProcessRun.objects.get(pk=runs["Обычный"].pk).responsible == claim["ivanov"]


@pytest.mark.feature("BPM-02", "ACL-03")
def test_a_run_about_a_private_client_does_not_start_on_a_stage_its_responsible_cannot_see(claim):
    # given Ivanov's private client, while the start stage is the manager's
    secret = ClientFactory(short_name="Тайный", curator=claim["ivanov"], is_private=True)
    # when Ivanov starts the claim process about it
    with pytest.raises(ValidationError) as refused:
        services.run_start(acting_user=claim["ivanov"], process=claim["process"], client=secret)
    # then it is refused, naming the start stage, and nothing is written
    assert "«Получена рекламация»" in refused.value.message_dict["client"][0]
    assert not ProcessRun.objects.exists()
