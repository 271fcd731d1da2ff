"""The designer's services (BPM-01): checks of a scheme, refusals, and the audit row of every write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.processes.models import Process, Stage, StageResult
from kontora.processes.selectors.setup import process_problems
from kontora.processes.services import runs, setup
from tests.processes.factories import ProcessFactory, StageFactory, StageResultFactory

pytestmark = pytest.mark.usefixtures("english")


def _row() -> AuditEvent:
    """The audit row the service just wrote (every write service writes exactly one)."""
    return AuditEvent.objects.get()


@pytest.mark.feature("BPM-01")
def test_designer_refuses_a_second_start_stage_and_an_end_stage_with_results(claim, admin_user):
    # given
    p = claim["process"]
    # when / then
    with pytest.raises(ValidationError) as e:
        setup.stage_save(acting_user=admin_user, process=p, name="Ещё старт", is_start=True,
                         responsible=claim["ivanov"])
    assert e.value.message_dict["is_start"] == ["The process already has a start stage: Получена рекламация."]
    with pytest.raises(ValidationError) as e:
        setup.result_save(acting_user=admin_user, stage=claim["stages"][3], name="x", next_stage=claim["stages"][0])
    assert e.value.message_dict["name"] == ["An end stage has no results: the process closes on it."]
    assert process_problems(p) == []


@pytest.mark.feature("BPM-01")
def test_only_a_designer_writes_schemes_and_a_refusal_leaves_no_audit_row(manager_user):
    # given
    process = ProcessFactory(name="Согласование")
    # when / then: a manager is not allowed; the message is the 403 page's
    with pytest.raises(NotAllowed):
        setup.process_save(acting_user=manager_user, name="Взлом")
    with pytest.raises(NotAllowed):
        setup.process_delete(acting_user=manager_user, process=process)
    assert Process.objects.filter(name="Взлом").count() == 0 and Process.objects.filter(pk=process.pk).exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("BPM-01")
def test_a_started_process_and_a_stage_results_lead_to_are_refused_deletion(claim, admin_user):
    # given
    runs.run_start(acting_user=admin_user, process=claim["process"])
    AuditEvent.objects.all().delete()
    # when / then
    with pytest.raises(Refused) as e:
        setup.process_delete(acting_user=admin_user, process=claim["process"])
    assert e.value.message == "The process has been started: its runs keep it. It cannot be deleted."
    with pytest.raises(Refused) as e:
        setup.stage_delete(acting_user=admin_user, stage=claim["stages"][0])
    assert e.value.message == "Started processes stand on this stage: it cannot be deleted."
    with pytest.raises(Refused) as e:
        setup.stage_delete(acting_user=admin_user, stage=claim["stages"][2])
    assert e.value.message == "Results lead to this stage: Анализ рекламации → Виноваты мы. Change them first."
    assert not AuditEvent.objects.exists()


@pytest.mark.feature("BPM-01")
def test_process_save_writes_a_create_row_then_an_update_row_with_the_changes(admin_user):
    # when: created
    process = setup.process_save(acting_user=admin_user, name="Согласование", description="Договоры")
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.client_id) == (
        "processes.process.create", admin_user, "processes.process", process.pk, None)
    assert row.summary == "Process created"
    assert row.changes == [{"field": "Process name", "old": "", "new": "Согласование"},
                           {"field": "Description", "old": "", "new": "Договоры"}]
    # when: renamed, the description kept
    AuditEvent.objects.all().delete()
    setup.process_save(acting_user=admin_user, process=process, name="Согласование договора", description="Договоры")
    # then: only the name changed
    row = _row()
    assert (row.event, row.actor, row.target_id, row.summary) == (
        "processes.process.update", admin_user, process.pk, "Process changed")
    assert row.changes == [{"field": "Process name", "old": "Согласование", "new": "Согласование договора"}]
    assert Process.objects.get(pk=process.pk).name == "Согласование договора"


@pytest.mark.feature("BPM-01")
def test_process_delete_writes_a_row_with_what_was_deleted(admin_user):
    # given
    process = ProcessFactory(name="Черновик", description="")
    StageResultFactory(stage=StageFactory(process=process, is_start=True))
    pk = process.pk
    # when
    setup.process_delete(acting_user=admin_user, process=process)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.summary) == (
        "processes.process.delete", admin_user, "processes.process", pk, "Process deleted")
    assert row.changes == [{"field": "Process name", "old": "Черновик", "new": ""}]
    assert not Process.objects.filter(pk=pk).exists() and not Stage.objects.filter(process_id=pk).exists()


@pytest.mark.feature("BPM-01")
def test_stage_save_writes_a_create_row_then_an_update_row_with_the_changes(admin_user, manager_user, claim):
    # given
    process, ivanov = claim["process"], claim["ivanov"]
    AuditEvent.objects.all().delete()
    # when: created
    stage = setup.stage_save(acting_user=admin_user, process=process, name="Проверка", responsible=manager_user)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.summary) == (
        "processes.stage.create", admin_user, "processes.stage", stage.pk, "Stage created")
    assert row.changes == [{"field": "Stage name", "old": "", "new": "Проверка"},
                           {"field": "Start stage of the process", "old": "", "new": "—"},
                           {"field": "End stage of the process", "old": "", "new": "—"},
                           {"field": "Responsible", "old": "", "new": "Алексей Менеджеров"}]
    # when: handed to Ivanov
    AuditEvent.objects.all().delete()
    setup.stage_save(acting_user=admin_user, process=process, stage=stage, name="Проверка", responsible=ivanov)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_id, row.summary) == (
        "processes.stage.update", admin_user, stage.pk, "Stage changed")
    assert row.changes == [{"field": "Responsible", "old": "Алексей Менеджеров", "new": "Иван Иванов"}]


@pytest.mark.feature("BPM-01")
def test_stage_delete_writes_a_row_with_what_was_deleted(admin_user, manager_user):
    # given
    stage = StageFactory(name="Лишний", responsible=manager_user)
    pk = stage.pk
    # when
    setup.stage_delete(acting_user=admin_user, stage=stage)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.summary) == (
        "processes.stage.delete", admin_user, "processes.stage", pk, "Stage deleted")
    assert {"field": "Stage name", "old": "Лишний", "new": ""} in row.changes
    assert {"field": "Responsible", "old": "Алексей Менеджеров", "new": ""} in row.changes
    assert not Stage.objects.filter(pk=pk).exists()


@pytest.mark.feature("BPM-01")
def test_result_save_writes_a_create_row_then_an_update_row_with_the_changes(admin_user, claim):
    # given
    _got, analysis, memo, end = claim["stages"]
    AuditEvent.objects.all().delete()
    # when: created
    result = setup.result_save(acting_user=admin_user, stage=memo, name="Отклонено", next_stage=end)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.summary) == (
        "processes.result.create", admin_user, "processes.stageresult", result.pk, "Result created")
    assert row.changes == [{"field": "Result", "old": "", "new": "Отклонено"},
                           {"field": "Transition to the stage", "old": "", "new": "Конец"}]
    # when: it now leads back to the analysis
    AuditEvent.objects.all().delete()
    setup.result_save(acting_user=admin_user, stage=memo, result=result, name="Отклонено", next_stage=analysis)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_id, row.summary) == (
        "processes.result.update", admin_user, result.pk, "Result changed")
    assert row.changes == [{"field": "Transition to the stage", "old": "Конец", "new": "Анализ рекламации"}]


@pytest.mark.feature("BPM-01")
def test_result_delete_writes_a_row_with_what_was_deleted(admin_user, claim):
    # given
    result = claim["results"]["any"]
    pk = result.pk
    AuditEvent.objects.all().delete()
    # when
    setup.result_delete(acting_user=admin_user, result=result)
    # then
    row = _row()
    assert (row.event, row.actor, row.target_type, row.target_id, row.summary) == (
        "processes.result.delete", admin_user, "processes.stageresult", pk, "Result deleted")
    assert row.changes == [{"field": "Result", "old": "Любой результат", "new": ""},
                           {"field": "Transition to the stage", "old": "Конец", "new": ""}]
    assert not StageResult.objects.filter(pk=pk).exists()
