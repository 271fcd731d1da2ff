"""Processes → Process setup in a real browser: a process, its stages and a result in the modals (BPM-01)."""

from __future__ import annotations

from typing import Any

import pytest

from kontora.processes import services
from kontora.processes.models import Process
from tests.accounts.factories import UserFactory
from tests.support.browser import screenshot, sign_in


def _modal_form(page: Any, testid: str) -> Any:
    form = page.locator(f"#k-modal.show [data-testid={testid}]")
    form.wait_for()
    return form


def _submit_and_reload(page: Any, form: Any, button: str) -> None:
    """OK in a modal: the view answers HX-Redirect and the editor is drawn anew from the base."""
    with page.expect_navigation():
        form.locator(f"[data-testid={button}]").click()
    page.wait_for_load_state("domcontentloaded")


def _manual_example(admin: Any, manager: Any) -> Process:
    """The manual's «Обработка рекламации», for the guide's screenshots."""
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов")
    p = services.process_save(acting_user=admin, name="Обработка рекламации",
                              description="Рекламация клиента: от получения до решения руководства.")
    got = services.stage_save(acting_user=admin, process=p, name="Получена рекламация", is_start=True,
                              responsible=manager)
    analysis = services.stage_save(acting_user=admin, process=p, name="Анализ рекламации", responsible=ivanov)
    memo = services.stage_save(acting_user=admin, process=p, name="Докладная руководству", responsible=ivanov)
    end = services.stage_save(acting_user=admin, process=p, name="Конец", is_end=True)
    for stage, name, target in [
        (got, "Рекламация уместна", analysis), (got, "Рекламация неуместна", end),
        (analysis, "Виноваты мы", memo), (analysis, "Виноват клиент", end), (memo, "Любой результат", end),
    ]:
        services.result_save(acting_user=admin, stage=stage, name=name, next_stage=target)
    return p


@pytest.mark.feature("BPM-01")
def test_admin_sets_up_a_process_in_the_modals(page, live_server, admin_user, manager_user, transactional_db):
    base = live_server.url
    # given the administrator on Processes → Process setup, reached through the menu
    sign_in(page, base, "admin")
    page.click("[data-menu=processes] > a")
    page.click("[data-menu=processes] .dropdown-item:has-text('Настройка процессов')")
    page.wait_for_url(f"{base}/processes/setup/")

    # when Ins opens «Создать новый процесс» and a name is typed
    page.keyboard.press("Insert")
    form = _modal_form(page, "process-form")
    form.locator("#id_name").fill("Согласование договора")
    _submit_and_reload(page, form, "process-ok")

    # then the editor opens and lists what is left to do
    page.wait_for_selector("[data-testid=process-title]:has-text('Согласование договора')")
    assert "У процесса нет стартового этапа." in page.locator("[data-testid=process-problems]").inner_text()

    # when a start stage with a responsible is added (Ins)
    page.keyboard.press("Insert")
    form = _modal_form(page, "stage-form")
    form.locator("#id_name").fill("Проверка юристом")
    form.locator("#id_is_start").check()
    form.locator("#id_responsible").select_option(label=manager_user.full_name)
    _submit_and_reload(page, form, "stage-ok")
    page.wait_for_selector("[data-testid=stage-name]:has-text('Проверка юристом')")

    # and an end stage without one
    page.click("[data-testid=stage-new]")
    form = _modal_form(page, "stage-form")
    form.locator("#id_name").fill("Подписан")
    form.locator("#id_is_end").check()
    _submit_and_reload(page, form, "stage-ok")
    page.wait_for_selector("[data-testid=stage-name]:has-text('Подписан')")
    assert "нет результатов" in page.locator("[data-testid=process-problems]").inner_text()

    # and a result of the start stage leading to the end
    page.locator("[data-testid=stage-row]", has_text="Проверка юристом").locator("[data-testid=result-new]").click()
    form = _modal_form(page, "result-form")
    form.locator("#id_name").fill("Замечаний нет")
    form.locator("#id_next_stage").select_option(label="Подписан")
    _submit_and_reload(page, form, "result-ok")

    # then the scheme is ready
    page.wait_for_selector("[data-testid=result-name]:has-text('Замечаний нет')")
    assert page.locator("[data-testid=process-state]").inner_text() == "готов"
    assert page.locator("[data-testid=process-problems]").count() == 0
    assert services.process_problems(Process.objects.get(name="Согласование договора")) == []

    # when a second start stage is tried, the refusal stands next to the flag in the open modal
    page.click("[data-testid=stage-new]")
    form = _modal_form(page, "stage-form")
    form.locator("#id_name").fill("Ещё одно начало")
    form.locator("#id_is_start").check()
    form.locator("#id_responsible").select_option(label=manager_user.full_name)
    form.locator("[data-testid=stage-ok]").click()
    error = page.locator("#k-modal.show [data-testid=error-is_start]")
    error.wait_for()
    assert error.inner_text() == "У процесса уже есть стартовый этап: Проверка юристом."
    page.keyboard.press("Escape")
    page.wait_for_selector("#k-modal.show", state="detached")

    # the guide's screenshots: the manual's example beside it
    claim = _manual_example(admin_user, manager_user)
    page.goto(f"{base}/processes/setup/{claim.pk}/")
    page.wait_for_selector("[data-testid=stage-row]")
    screenshot(page, "processes-setup-editor")
    page.locator("[data-testid=stage-row]", has_text="Получена рекламация").locator("[data-testid=stage-edit]").click()
    form = _modal_form(page, "stage-form")
    page.wait_for_timeout(400)  # the modal's fade-in, so the picture is not half transparent
    screenshot(page, "processes-setup-stage")
    page.keyboard.press("Escape")
    page.wait_for_selector("#k-modal.show", state="detached")
    draft = services.process_save(acting_user=admin_user, name="Черновик: возврат товара")
    services.stage_save(acting_user=admin_user, process=draft, name="Заявка на возврат", is_start=True,
                        responsible=manager_user)
    page.goto(f"{base}/processes/setup/")
    page.wait_for_selector("[data-testid=process-row]")
    assert page.locator("[data-testid=process-row]").count() == 3
    screenshot(page, "processes-setup-list")
