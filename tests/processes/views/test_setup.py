"""Processes → Process setup (BPM-01) through the HTTP views: list, editor, modals, refusals, access."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from kontora.processes.models import Process, Stage, StageResult
from kontora.processes.selectors.setup import process_problems
from kontora.processes.services import runs as run_services
from kontora.processes.services import setup as services
from tests.accounts.factories import UserFactory
from tests.processes.factories import ProcessFactory, ProcessRunFactory, StageFactory, StageResultFactory
from tests.support.queries import count_queries

HX = {"HTTP_HX_REQUEST": "true"}


def _text(response: Any) -> str:
    return unescape(response.content.decode())


def _field_error(response: Any, field: str) -> str:
    """The error shown right under a field (data-testid="error-<field>"), or "" if none."""
    found = re.search(rf'data-testid="error-{field}">([^<]*)<', _text(response))
    return found.group(1) if found else ""


def _delete_error(response: Any) -> str:
    found = re.search(r'data-testid="delete-error">([^<]*)<', _text(response))
    return found.group(1) if found else ""


def _stage(client: Any, process: Process, name: str, *, responsible: Any = None, start: bool = False,
           end: bool = False) -> Stage:
    data: dict[str, Any] = {"name": name}
    if responsible is not None:
        data["responsible"] = responsible.pk
    if start:
        data["is_start"] = "on"
    if end:
        data["is_end"] = "on"
    response = client.post(reverse("processes:stage_new", args=[process.pk]), data, **HX)
    assert response.status_code == 204, _text(response)[:2000]
    assert response["HX-Redirect"] == reverse("processes:process", args=[process.pk])
    return Stage.objects.get(process=process, name=name)


def _result(client: Any, stage: Stage, name: str, next_stage: Stage) -> None:
    response = client.post(
        reverse("processes:result_new", args=[stage.pk]), {"name": name, "next_stage": next_stage.pk}, **HX
    )
    assert response.status_code == 204, _text(response)[:2000]


@pytest.mark.feature("BPM-01")
def test_admin_builds_the_manuals_claim_process_and_it_becomes_ready(admin_client, manager_user):
    # given
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов")
    # when: «Создать новый процесс» in the modal
    response = admin_client.get(reverse("processes:process_new"), **HX)
    assert response.status_code == 200 and 'data-testid="process-form"' in _text(response)
    response = admin_client.post(reverse("processes:process_new"), {"name": "Обработка рекламации"}, **HX)
    # then: the editor opens, showing what is left to do
    process = Process.objects.get(name="Обработка рекламации")
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("processes:process", args=[process.pk])
    editor = admin_client.get(reverse("processes:process", args=[process.pk]))
    assert "У процесса нет стартового этапа." in _text(editor)
    assert 'data-testid="process-problems"' in _text(editor)
    # when: four stages and five results, as in the manual
    got = _stage(admin_client, process, "Получена рекламация", responsible=manager_user, start=True)
    analysis = _stage(admin_client, process, "Анализ рекламации", responsible=ivanov)
    memo = _stage(admin_client, process, "Докладная руководству", responsible=ivanov)
    end = _stage(admin_client, process, "Конец", end=True)
    half = admin_client.get(reverse("processes:process", args=[process.pk]))
    assert "У этапа «Получена рекламация» нет результатов: процесс не сможет его покинуть." in _text(half)
    _result(admin_client, got, "Рекламация уместна", analysis)
    _result(admin_client, got, "Рекламация неуместна", end)
    _result(admin_client, analysis, "Виноваты мы", memo)
    _result(admin_client, analysis, "Виноват клиент", end)
    _result(admin_client, memo, "Любой результат", end)
    # then: the scheme is complete, the editor lists it in order and the list says "ready"
    assert process_problems(process) == []
    editor = admin_client.get(reverse("processes:process", args=[process.pk]))
    html = _text(editor)
    assert 'data-testid="process-problems"' not in html
    assert re.findall(r'data-testid="stage-name">([^<]*)<', html) == [
        "Получена рекламация", "Анализ рекламации", "Докладная руководству", "Конец",
    ]
    pairs = re.findall(r'data-testid="result-name">([^<]*)<.*?data-testid="result-next">([^<]*)<', html, re.S)
    assert pairs == [
        ("Рекламация уместна", "Анализ рекламации"), ("Рекламация неуместна", "Конец"),
        ("Виноваты мы", "Докладная руководству"), ("Виноват клиент", "Конец"), ("Любой результат", "Конец"),
    ]
    listing = _text(admin_client.get(reverse("processes:setup")))
    state = re.search(r'data-testid="process-state">\s*(.*?)\s*</td>', listing, re.S)
    assert state is not None and ">готов<" in state.group(1)
    assert StageResult.objects.filter(stage__process=process).count() == 5


@pytest.mark.feature("BPM-01")
def test_rename_edit_and_delete_through_the_modals(admin_client, claim):
    # given
    p = claim["process"]
    got, _analysis, memo, _end = claim["stages"]
    # when: rename from the editor, edit a stage and a result, delete a result
    response = admin_client.post(reverse("processes:process_edit", args=[p.pk]),
                                 {"name": "Рекламации", "description": "По регламенту", "back": "editor"}, **HX)
    assert response["HX-Redirect"] == reverse("processes:process", args=[p.pk])
    response = admin_client.post(reverse("processes:stage_edit", args=[memo.pk]),
                                 {"name": "Докладная директору", "responsible": claim["ivanov"].pk}, **HX)
    assert response.status_code == 204
    fits = claim["results"]["fits"]
    response = admin_client.post(reverse("processes:result_edit", args=[fits.pk]),
                                 {"name": "Уместна", "next_stage": memo.pk}, **HX)
    assert response.status_code == 204
    response = admin_client.post(reverse("processes:result_delete", args=[claim["results"]["any"].pk]), **HX)
    assert response.status_code == 204
    # then
    p.refresh_from_db()
    memo.refresh_from_db()
    fits.refresh_from_db()
    assert (p.name, p.description, memo.name) == ("Рекламации", "По регламенту", "Докладная директору")
    assert (fits.name, fits.next_stage_id) == ("Уместна", memo.pk)
    assert "У этапа «Докладная директору» нет результатов" in _text(
        admin_client.get(reverse("processes:process", args=[p.pk]))
    )
    # when: without scripts (Enter on a row opens the link) the same form is a page of its own
    page = admin_client.get(reverse("processes:stage_edit", args=[got.pk]))
    assert 'class="breadcrumb' in _text(page) and 'data-testid="stage-form"' in _text(page)
    response = admin_client.post(reverse("processes:stage_edit", args=[got.pk]),
                                 {"name": "Рекламация получена", "is_start": "on", "responsible": got.responsible_id})
    assert response.status_code == 302 and response["Location"] == reverse("processes:process", args=[p.pk])
    # when: an unstarted process is deleted with its stages
    response = admin_client.post(reverse("processes:process_delete", args=[p.pk]), **HX)
    # then
    assert response["HX-Redirect"] == reverse("processes:setup")
    assert not Process.objects.filter(pk=p.pk).exists() and not Stage.objects.filter(pk=got.pk).exists()


@pytest.mark.feature("BPM-01")
def test_each_refusal_appears_next_to_its_field(admin_client, claim, admin_user, manager_user):
    # given
    p = claim["process"]
    _got, analysis, memo, _end = claim["stages"]
    # when: a second start stage
    response = admin_client.post(reverse("processes:stage_new", args=[p.pk]),
                                 {"name": "Ещё старт", "is_start": "on", "responsible": manager_user.pk}, **HX)
    # then
    assert response.status_code == 200
    assert _field_error(response, "is_start") == "У процесса уже есть стартовый этап: Получена рекламация."
    # when: a stage with results made an end stage
    response = admin_client.post(reverse("processes:stage_edit", args=[analysis.pk]),
                                 {"name": "Анализ рекламации", "is_end": "on"}, **HX)
    assert _field_error(response, "is_end") == (
        "У конечного этапа нет результатов: сначала удалите результаты этого этапа."
    )
    # when: a working stage without a responsible
    response = admin_client.post(reverse("processes:stage_new", args=[p.pk]), {"name": "Проверка"}, **HX)
    assert _field_error(response, "responsible") == "Назначьте ответственного за этап."
    # when: an empty name of a process, and a result without its next stage
    response = admin_client.post(reverse("processes:process_new"), {"name": "  "}, **HX)
    assert _field_error(response, "name") == "Введите название."
    response = admin_client.post(reverse("processes:result_new", args=[memo.pk]), {"name": "Ещё"}, **HX)
    assert _field_error(response, "next_stage") == "Выберите этап, на который ведёт этот результат."
    # when: deleting a stage that results lead to
    response = admin_client.post(reverse("processes:stage_delete", args=[analysis.pk]), **HX)
    assert _delete_error(response) == (
        "На этот этап ведут результаты: Получена рекламация → Рекламация уместна. Сначала измените их."
    )
    # when: deleting a process that has been started
    run_services.run_start(acting_user=admin_user, process=p)
    response = admin_client.post(reverse("processes:process_delete", args=[p.pk]), **HX)
    assert _delete_error(response) == "Процесс уже запускался, и его запуски хранят схему: удалить его нельзя."
    # then: nothing was half-saved
    assert Stage.objects.filter(process=p).count() == 4
    assert not Process.objects.filter(name="").exists()
    assert Process.objects.filter(pk=p.pk).exists()
    assert Stage.objects.filter(pk=analysis.pk, is_end=False).exists()


@pytest.mark.feature("BPM-01")
def test_manager_gets_403_on_every_setup_url_and_no_menu_item(manager_client, admin_client, claim):
    # given
    p = claim["process"]
    stage = claim["stages"][1]
    result = claim["results"]["ours"]
    urls = [
        reverse("processes:setup"), reverse("processes:process_new"),
        reverse("processes:process", args=[p.pk]), reverse("processes:process_edit", args=[p.pk]),
        reverse("processes:process_delete", args=[p.pk]), reverse("processes:stage_new", args=[p.pk]),
        reverse("processes:stage_edit", args=[stage.pk]), reverse("processes:stage_delete", args=[stage.pk]),
        reverse("processes:result_new", args=[stage.pk]), reverse("processes:result_edit", args=[result.pk]),
        reverse("processes:result_delete", args=[result.pk]),
    ]
    # when / then
    for url in urls:
        assert manager_client.get(url).status_code == 403, url
        assert manager_client.post(url, {"name": "Взлом"}).status_code == 403, url
    assert Process.objects.count() == 1 and Stage.objects.filter(name="Взлом").count() == 0
    setup_url = reverse("processes:setup")
    assert f'href="{setup_url}"' not in _text(manager_client.get("/"))
    assert f'href="{setup_url}"' in _text(admin_client.get("/"))
    assert "Настройка процессов" in _text(admin_client.get("/"))


@pytest.mark.feature("BPM-01")
def test_editor_query_count_does_not_grow_with_stages(admin_client, admin_user, manager_user):
    def scheme(name: str, stages: int) -> Process:
        p = services.process_save(acting_user=admin_user, name=name)
        made = [
            services.stage_save(acting_user=admin_user, process=p, name=f"Этап {i}", is_start=i == 0,
                                responsible=manager_user)
            for i in range(stages)
        ]
        end = services.stage_save(acting_user=admin_user, process=p, name="Конец", is_end=True)
        for i, stage in enumerate(made):
            services.result_save(acting_user=admin_user, stage=stage, name="Дальше", next_stage=end)
            services.result_save(acting_user=admin_user, stage=stage, name="Назад", next_stage=made[max(i - 1, 0)])
        return p

    # given
    small, big = scheme("Малый", 2), scheme("Большой", 15)
    admin_client.get(reverse("processes:process", args=[small.pk]))  # warm the session and caches
    # when
    with count_queries() as few:
        assert admin_client.get(reverse("processes:process", args=[small.pk])).status_code == 200
    with count_queries() as many:
        response = admin_client.get(reverse("processes:process", args=[big.pk]))
    # then
    assert response.status_code == 200 and _text(response).count('data-testid="stage-row"') == 16
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


@pytest.mark.feature("BPM-01")
def test_setup_list_query_count_does_not_grow_with_processes(admin_client, manager_user):
    def schemes(count: int) -> None:
        """Complete schemes, each with two stages, a result and a run."""
        for _ in range(count):
            start = StageFactory(is_start=True, responsible=manager_user)
            StageResultFactory(stage=start)
            ProcessRunFactory(stage=start)

    def listed() -> tuple[int, int]:
        with count_queries() as captured:
            response = admin_client.get(reverse("processes:setup"))
        assert response.status_code == 200
        return len(captured), _text(response).count('data-testid="process-row"')

    # given
    schemes(2)
    ProcessFactory(name="Пустой")  # a process without stages: its problems come from the same prefetch
    listed()  # warm the session and caches
    # when
    few = listed()
    schemes(12)
    many = listed()
    # then
    assert (few[1], many[1]) == (3, 15)
    assert many[0] == few[0]
