"""Setting a task from the client card: the assignee's open page pops it up at once, an offline one at the next
sign-in (TSK-01, TSK-02, CLI-14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.activity.models import Task
from kontora.clients.models import ClientGrant
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp


@pytest.mark.feature("TSK-01", "TSK-02", "CLI-14")
def test_a_task_set_on_the_card_pops_up_on_the_assignees_open_page_and_at_an_offline_ones_sign_in(
    page, new_page, live_server, manager_user, transactional_db,
):
    base = live_server.url
    # given Ivanov works in the program; Sidorov is not signed in; both open the manager's client «Юпитер»
    ivanov = UserFactory(login="ivanov", full_name="Иванов И. И.")
    sidorov = UserFactory(login="sidorov", full_name="Сидоров С. С.")
    client = ClientFactory(short_name="Юпитер", curator=manager_user, specialist=ivanov)
    ClientGrant.objects.create(client=client, user=sidorov)
    ivanov_page = new_page()
    sign_in(ivanov_page, base, "ivanov")
    expect(ivanov_page.locator("[data-testid=bell-count]")).to_be_hidden()

    # when the manager opens the card's «Задачи» tab and presses Ins
    watch_csp(page)
    sign_in(page, base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-tasks]")
    expect(page.locator("[data-testid=card-tasks]")).to_be_visible()
    htmx_ready(page.locator("#client-tasks [data-key=Insert]"))
    page.keyboard.press("Insert")
    form = page.locator("[data-testid=task-form]")
    expect(form).to_be_visible()
    # then the form names the client and the author, and he is the assignee unless he picks another
    expect(form.locator("[data-testid=task-new-about]")).to_have_text("Юпитер")
    # when he gives Ivanov the task
    page.select_option("#id_assignee", label="Иванов И. И.")
    page.select_option("#id_importance", value="high")
    page.fill("#id_description", "Подготовить коммерческое предложение")
    screenshot(page, "tasks-new")
    form.locator("[data-testid=task-ok]").click()
    # then the modal closes and the card's journal shows the task
    expect(page.locator("[data-testid=card-task]")).to_have_count(1)
    expect(page.locator("[data-testid=card-task]")).to_contain_text("Подготовить коммерческое предложение")
    # and Ivanov's open page pops it up within five seconds (the bell polls every four)
    expect(ivanov_page.locator("[data-testid=bell-count]")).to_have_text("1", timeout=5_000)
    toast = ivanov_page.locator("#k-toasts .toast")
    expect(toast.locator(".toast-body")).to_contain_text("Подготовить коммерческое предложение")
    expect(toast.locator(".toast-body")).to_contain_text("Новая задача №")
    screenshot(ivanov_page, "tasks-toast")

    # when the manager sets Sidorov a task while he is away
    page.keyboard.press("Insert")
    expect(form).to_be_visible()
    page.select_option("#id_assignee", label="Сидоров С. С.")
    page.fill("#id_description", "Отправить счёт")
    form.locator("[data-testid=task-ok]").click()
    expect(page.locator("[data-testid=card-task]")).to_have_count(2)
    assert csp_violations(page) == []
    # then Sidorov finds it when he signs in
    sidorov_page = new_page()
    sign_in(sidorov_page, base, "sidorov")
    expect(sidorov_page.locator("[data-testid=bell-count]")).to_have_text("1", timeout=5_000)
    expect(sidorov_page.locator("#k-toasts .toast .toast-body")).to_contain_text("Отправить счёт")
    # and the task opens from the toast's link
    task = Task.objects.get(assignee=sidorov)
    sidorov_page.goto(f"{base}/tasks/{task.pk}/")
    expect(sidorov_page.locator("[data-testid=task-description]")).to_have_text("Отправить счёт")
    screenshot(sidorov_page, "tasks-card")
