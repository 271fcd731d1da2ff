"""Starting a process from a client card, and its responsible seeing it in the Assistant's monitor (BPM-02, BPM-03)."""

from __future__ import annotations

import re

import pytest

from kontora.accounts.models import ClientScope
from kontora.processes.models import ProcessRun
from kontora.processes.services import runs as services
from kontora.processes.services import setup as designer
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("BPM-02", "BPM-03", "CLI-13")
def test_manager_starts_a_process_from_the_card_and_the_responsible_sees_it_orange(
    page, new_page, live_server, admin_user, manager_user, transactional_db,
):
    base = live_server.url
    # given the manual's scheme «Обработка рекламации», whose first stage is Ivanov's, and the manager's client
    # (he handles claims about every client, so he works in the "full" mode)
    ivanov = UserFactory(login="ivanov", full_name="Иван Иванов", client_scope=ClientScope.FULL)
    process = designer.process_save(acting_user=admin_user, name="Обработка рекламации")
    got = designer.stage_save(acting_user=admin_user, process=process, name="Получена рекламация", is_start=True,
                              responsible=ivanov)
    analysis = designer.stage_save(acting_user=admin_user, process=process, name="Анализ рекламации",
                                   responsible=manager_user)
    end = designer.stage_save(acting_user=admin_user, process=process, name="Конец", is_end=True)
    designer.result_save(acting_user=admin_user, stage=got, name="Рекламация уместна", next_stage=analysis)
    designer.result_save(acting_user=admin_user, stage=got, name="Рекламация неуместна", next_stage=end)
    designer.result_save(acting_user=admin_user, stage=analysis, name="Любой результат", next_stage=end)
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    earlier = ClientFactory(short_name="ООО Василёк", curator=manager_user)
    services.run_start(acting_user=manager_user, process=process, client=earlier, note="Не та упаковка")

    # when the manager opens the card and presses «Запустить процесс»
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=card-action-start_process]")
    page.wait_for_url(re.compile(r"/processes/start/\?client=\d+$"))
    # then the form has the card's client fixed
    assert page.locator("[data-testid=start-client-locked]").inner_text().endswith("ООО Ромашка")

    # when he picks the process, writes the essence of the claim and starts it
    page.select_option("#id_process", label="Обработка рекламации")
    page.fill("#id_note", "Брак в партии от 12.11: трещины на корпусе")
    screenshot(page, "processes-start")
    page.click("[data-testid=start-submit]")

    # then he is back on the card, told that the process started
    page.wait_for_url(f"{base}/clients/{client.pk}/")
    run = ProcessRun.objects.get(client=client)
    assert f"№ {run.pk} запущен" in page.locator(".k-messages").inner_text()
    # and Ins in the journal opens the start form again
    page.goto(f"{base}/processes/")
    page.locator("[data-testid=journal-row]").first.wait_for()
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/processes/start/")

    # when Ivanov, responsible for the start stage, signs in
    other = new_page()
    sign_in(other, base, "ivanov")
    # then the Assistant's monitor shows both runs on his stage, in orange
    item = other.locator(f"[data-testid=monitor-run][data-id='{run.pk}']")
    item.wait_for()
    assert other.locator("[data-testid=monitor-run]").count() == 2
    assert "k-process-mine" in (item.get_attribute("class") or "")
    color = item.evaluate("el => getComputedStyle(el).backgroundColor")
    assert color == "rgb(255, 217, 168)"
    assert "ООО Ромашка" in item.inner_text() and "Получена рекламация" in item.inner_text()
    screenshot(other, "processes-monitor")

    # when he opens the journal, his runs are orange there too
    other.click("[data-testid=process-monitor] a:has-text('Журнал')")
    other.wait_for_url(re.compile(r"/processes/\?closed=0$"))
    row = other.locator(f"[data-testid=journal-row][data-id='{run.pk}']")
    assert "k-process-mine" in (row.get_attribute("class") or "")
    screenshot(other, "processes-journal")
    # and a double click on the row opens the run
    row.dblclick()
    other.wait_for_url(f"{base}/processes/{run.pk}/")


@pytest.mark.feature("BPM-02")
def test_manager_starts_a_process_from_the_journal_with_the_clients_picker(
    page, live_server, admin_user, manager_user, transactional_db,
):
    base = live_server.url
    # given a complete scheme whose first stage is the manager's, and his client
    process = designer.process_save(acting_user=admin_user, name="Согласование договора")
    first = designer.stage_save(acting_user=admin_user, process=process, name="Проверка", is_start=True,
                                responsible=manager_user)
    end = designer.stage_save(acting_user=admin_user, process=process, name="Конец", is_end=True)
    designer.result_save(acting_user=admin_user, stage=first, name="Согласовано", next_stage=end)
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)

    # when he opens the journal from the menu and presses Ins
    sign_in(page, base, "manager")
    page.click(".k-menubar >> text=Процессы")
    page.click("text=Журнал процессов")
    page.wait_for_url(f"{base}/processes/")
    assert page.locator("[data-testid=journal-empty]").inner_text() == "Процессов нет."
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/processes/start/")

    # and starts without choosing a process: the error is under the field
    page.click("[data-testid=start-submit]")
    assert page.locator("[data-testid=error-process]").inner_text() == "Выберите процесс для запуска."

    # when he chooses the process and the client by typing its name
    page.select_option("#id_process", label="Согласование договора")
    page.fill("[data-picker=clients] [data-picker-text]", "ООО Ром")
    option = page.locator("[data-picker=clients] [data-pick]", has_text="ООО Ромашка")
    option.click()
    page.fill("#id_note", "Проверить сроки оплаты")
    page.keyboard.press("Control+Enter")

    # then the journal opens with the new run focused and orange (his own stage)
    page.wait_for_url(re.compile(r"/processes/\?focus=\d+$"))
    run = ProcessRun.objects.get()
    assert run.client == client and run.note == "Проверить сроки оплаты"
    row = page.locator(f"[data-testid=journal-row][data-id='{run.pk}']")
    classes = row.get_attribute("class") or ""
    assert "k-focus" in classes and "k-process-mine" in classes
    # and Enter opens the run
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/processes/{run.pk}/")

    # when he goes back and opens a row's context menu with the right button
    page.go_back()
    page.wait_for_url(re.compile(r"/processes/"))
    page.locator(f"[data-testid=journal-row][data-id='{run.pk}']").click(button="right")
    menu = page.get_by_test_id("journal-menu")
    assert menu.is_visible()
    # then Esc closes it, and «Запустить процесс» in it opens the start form
    page.keyboard.press("Escape")
    assert not menu.is_visible()
    page.locator(f"[data-testid=journal-row][data-id='{run.pk}']").click(button="right")
    menu.get_by_text("Запустить процесс").click()
    page.wait_for_url(f"{base}/processes/start/")
    # and «Открыть» opens the row's process
    page.go_back()
    page.wait_for_url(re.compile(r"/processes/"))
    page.locator(f"[data-testid=journal-row][data-id='{run.pk}']").click(button="right")
    menu.get_by_text("Открыть").click()
    page.wait_for_url(f"{base}/processes/{run.pk}/")


@pytest.mark.feature("BPM-02", "ACC-03")
def test_a_supervisor_goes_from_the_menu_to_all_employees_runs_and_back_to_his_own(
    page, live_server, employees_runs, supervisor_user, transactional_db,
):
    base = live_server.url
    runs = employees_runs["runs"]
    sign_in(page, base, "super")
    # when the supervisor picks «Журнал процессов всех сотрудников» in the menu
    page.click("[data-menu=processes] > a")
    page.click("text=Журнал процессов всех сотрудников")
    page.wait_for_url(f"{base}/processes/?whose=all")
    # then he sees every employee's run he may see, and how many more client access hides
    rows = page.locator("[data-testid=journal-row]")
    assert [rows.nth(n).get_attribute("data-id") for n in range(rows.count())] == [str(runs["no_client"].pk)]
    assert page.locator("[data-testid=journal-hidden]").inner_text() == (
        "2 строки скрыты: клиенты, к которым у вас нет доступа.")
    screenshot(page, "process-journal-all-employees")
    # when he chooses «Мои процессы» in the filter
    page.select_option("[data-testid=journal-whose-filter]", "mine")
    page.wait_for_url(re.compile(r"whose=mine"))
    # then his own processes are listed — none — and nothing is said hidden
    assert page.locator("[data-testid=journal-row]").count() == 0
    assert page.locator("[data-testid=journal-hidden]").count() == 0
    assert page.locator("[data-testid=journal-whose]").inner_text() == "мои процессы"
