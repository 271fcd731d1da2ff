"""The process engine's services (BPM-01 … BPM-05) on the manual's example «Обработка рекламации»."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kontora.core.models import Notification
from kontora.processes import selectors, services
from kontora.processes.models import ProcessRun, ProtocolEntry, StageState
from tests.accounts.factories import UserFactory
from tests.clients.factories import client_named as make_client


@pytest.fixture(autouse=True)
def _english() -> Any:
    # The services' exact messages are asserted in their msgid form; the Russian is checked by the view tests.
    with translation.override("en"):
        yield


@pytest.fixture
def claim(admin_user: Any, manager_user: Any) -> dict[str, Any]:
    """The manual's scheme: received → analysis → memo → end, with its results and transitions."""
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов")
    p = services.process_save(acting_user=admin_user, name="Обработка рекламации")
    got = services.stage_save(acting_user=admin_user, process=p, name="Получена рекламация", is_start=True,
                              responsible=manager_user)
    analysis = services.stage_save(acting_user=admin_user, process=p, name="Анализ рекламации", responsible=ivanov)
    memo = services.stage_save(acting_user=admin_user, process=p, name="Докладная руководству", responsible=ivanov)
    end = services.stage_save(acting_user=admin_user, process=p, name="Конец", is_end=True)
    r = {
        "fits": services.result_save(acting_user=admin_user, stage=got, name="Рекламация уместна", next_stage=analysis),
        "unfit": services.result_save(acting_user=admin_user, stage=got, name="Рекламация неуместна", next_stage=end),
        "ours": services.result_save(acting_user=admin_user, stage=analysis, name="Виноваты мы", next_stage=memo),
        "theirs": services.result_save(acting_user=admin_user, stage=analysis, name="Виноват клиент", next_stage=end),
        "any": services.result_save(acting_user=admin_user, stage=memo, name="Любой результат", next_stage=end),
    }
    return {"process": p, "ivanov": ivanov, "stages": (got, analysis, memo, end), "results": r}


@pytest.mark.feature("BPM-01")
def test_designer_refuses_a_second_start_stage_and_an_end_stage_with_results(claim, admin_user):
    # given
    p = claim["process"]
    # when / then
    with pytest.raises(ValidationError) as e:
        services.stage_save(acting_user=admin_user, process=p, name="Ещё старт", is_start=True,
                            responsible=claim["ivanov"])
    assert e.value.message_dict["is_start"] == ["The process already has a start stage: Получена рекламация."]
    with pytest.raises(ValidationError) as e:
        services.result_save(acting_user=admin_user, stage=claim["stages"][3], name="x", next_stage=claim["stages"][0])
    assert e.value.message_dict["name"] == ["An end stage has no results: the process closes on it."]
    assert services.process_problems(p) == []


@pytest.mark.feature("BPM-01")
def test_incomplete_scheme_is_named_and_cannot_start(admin_user, manager_user):
    # given
    p = services.process_save(acting_user=admin_user, name="Черновик")
    services.stage_save(acting_user=admin_user, process=p, name="Начало", is_start=True, responsible=manager_user)
    # when / then
    assert services.process_problems(p) == [
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
    client = make_client("ООО Ромашка", curator=manager_user)
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
    # when: a stale tab of the manager tries the start stage again
    with pytest.raises(PermissionError):
        services.run_progress(acting_user=manager_user, run_id=run.pk, seen_stage_id=got.pk,
                              state=StageState.DONE, result=results["unfit"])
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
    with pytest.raises(ValidationError):
        services.run_progress(acting_user=admin_user, run_id=run.pk, seen_stage_id=end.pk, state=StageState.IN_WORK)
    with pytest.raises(ValidationError):
        services.run_delete(acting_user=admin_user, run=run)
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
def test_only_an_administrator_deletes_an_unfinished_run(claim, admin_user, manager_user):
    # given
    run = services.run_start(acting_user=manager_user, process=claim["process"])
    # when / then
    with pytest.raises(PermissionError):
        services.run_delete(acting_user=manager_user, run=run)
    services.run_delete(acting_user=admin_user, run=run)
    assert not ProcessRun.objects.exists() and not ProtocolEntry.objects.exists()


@pytest.mark.feature("BPM-02")
def test_runs_about_a_private_client_are_hidden_like_the_client(claim, admin_user, manager_user):
    # given
    private = make_client("Тайный клиент", curator=manager_user, private=True)
    run = services.run_start(acting_user=manager_user, process=claim["process"], client=private)
    # when / then: the administrator neither sees it in the journal nor may start one about it
    assert list(selectors.run_journal(manager_user)) == [run]
    assert list(selectors.run_journal(admin_user)) == []
    with pytest.raises(ValidationError) as e:
        services.run_start(acting_user=admin_user, process=claim["process"], client=private)
    assert "client" in e.value.message_dict


@pytest.mark.feature("BPM-03")
def test_the_responsible_sees_the_run_on_his_stage_but_not_a_private_client_of_another(claim, admin_user):
    # given: Ivanov works in "own" mode and curates none of these clients
    ivanov = claim["ivanov"]
    ivanov.client_scope = "own"
    ivanov.save(update_fields=["client_scope"])
    curator = UserFactory(login="curator", full_name="Куратор Клиентов", client_scope="full")
    open_client = make_client("Открытый клиент", curator=curator)
    private = make_client("Личный клиент", curator=curator, private=True)
    got, analysis, _memo, _end = claim["stages"]
    runs = [services.run_start(acting_user=curator, process=claim["process"], client=c) for c in (open_client, private)]
    for run in runs:
        services.run_progress(acting_user=admin_user, run_id=run.pk, seen_stage_id=got.pk, state=StageState.DONE,
                              result=claim["results"]["fits"])
    # when / then: the run reached his stage; he sees it, except the one about a private client
    assert list(selectors.monitor_runs(ivanov)) == [runs[0]]
    assert selectors.access_run(ivanov, runs[0].pk) == runs[0]
    assert analysis.responsible == ivanov
