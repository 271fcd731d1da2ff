"""The task journal in the browser (TSK-07): arrows walk the rows, Enter opens the task, Ctrl+Enter its client's
card (also from the context menu) — and nothing for a task whose client the user may no longer open; the page keeps
the strict CSP."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from tests.accounts.factories import UserFactory
from tests.activity.factories import TaskFactory
from tests.clients.factories import ClientFactory
from tests.clients.support import make_private
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.browser
@pytest.mark.feature("TSK-07")
def test_enter_opens_the_task_and_ctrl_enter_its_clients_card(page, live_server, manager_user, transactional_db):
    base = live_server.url
    # given the manager's overdue task about his client, and a task given to him about a client he lost
    client = ClientFactory(short_name="ООО Ромашка", curator=manager_user)
    task = TaskFactory(client=client, author=manager_user, description="Позвонить директору",
                       starts_at=timezone.now() - datetime.timedelta(days=1))
    other = UserFactory(full_name="Пётр Другой")
    lost_client = ClientFactory(short_name="ООО Тайна", curator=other)
    lost = TaskFactory(client=lost_client, author=other, assignee=manager_user, description="Чужой клиент",
                       starts_at=timezone.now() - datetime.timedelta(days=2))
    make_private(lost_client)
    watch_csp(page)
    sign_in(page, base, "manager")
    page.goto(f"{base}/tasks/")
    rows = page.locator("[data-testid=task-row]")
    rows.first.wait_for()
    screenshot(page, "task-journal")
    # when he walks to the first row (the latest start: his own task) and presses Ctrl+Enter
    page.keyboard.press("ArrowDown")
    assert rows.first.get_attribute("data-id") == str(task.pk)
    page.keyboard.press("Control+Enter")
    # then the client's card opens
    page.wait_for_url(f"{base}/clients/{client.pk}/")
    # and back in the journal, Enter on the lost client's task opens the task, never that client's card
    page.goto(f"{base}/tasks/")
    rows.first.wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("[data-testid=task-row].k-focus").get_attribute("data-id") == str(lost.pk)
    page.keyboard.press("Control+Enter")
    assert re.search(r"/tasks/$", page.url)
    # and its context menu offers the task but not the card
    page.locator(f"[data-testid=task-row][data-id='{lost.pk}']").click(button="right")
    menu = page.get_by_test_id("tasks-menu")
    assert menu.locator("[data-action=open-client]").is_disabled()
    assert menu.locator("[data-action=open]").is_enabled()
    page.keyboard.press("Escape")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/tasks/{lost.pk}/")
    assert csp_violations(page) == []
