"""Group processing in a real browser (GRP-01, GRP-02, GRP-05): marks in the registry, the manager's tabs, the run's
progress and its result per client, back to a registry that shows the change."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.bulk.models import BulkRun
from kontora.clients.models import Client
from kontora.core.services.jobs import job_run
from tests.clients.factories import client_named
from tests.directories.factories import PriorityFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("GRP-01", "GRP-02", "GRP-05")
def test_administrator_sets_a_priority_and_a_task_for_marked_clients(page, live_server, admin_user,
                                                                     transactional_db):
    base = live_server.url
    # given three clients of the administrator and a priority
    for name in ("ООО «Альфа»", "АО «Берёза»", "ООО «Вектор»"):
        client_named(name, curator=admin_user)
    PriorityFactory(name="Срочный")
    watch_csp(page)
    sign_in(page, base, "admin")
    # when two are marked with Space and «Групповая обработка» is chosen in the table's context menu
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 1").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    page.get_by_text("Отмечено: 2").wait_for()
    page.get_by_test_id("registry-row").first.click(button="right")
    page.get_by_test_id("registry-menu").get_by_test_id("registry-group").click()
    expect(page.get_by_test_id("bulk-selection")).to_contain_text("Будут обработаны 2 клиента (отмеченные клиенты)")
    # and the priority is chosen on «Классификаторы» and a task set on «Задача»
    page.get_by_label("Приоритет").select_option(label="Срочный")
    page.get_by_test_id("bulk-tab-task").click()
    page.get_by_label("Назначить задачу").check()
    page.get_by_label("Исполнитель").select_option(label=str(admin_user))
    page.get_by_label("Задача", exact=True).fill("Предложить новый прайс")
    page.get_by_label("Начало").fill("2026-12-08T10:00")
    page.get_by_label("Срок").fill("2026-12-09T18:00")
    screenshot(page, "bulk-manager")
    page.get_by_test_id("bulk-start").click()
    # then the run's page shows its progress; a worker takes the job
    expect(page.get_by_test_id("bulk-run")).to_be_visible()
    job_run(job_id=BulkRun.objects.get().job_id)
    expect(page.get_by_test_id("job-status")).to_have_text("Готово", timeout=10_000)
    page.get_by_test_id("job-result-url").click()
    # and the result lists each client with its new priority and task
    expect(page.get_by_test_id("bulk-outcome")).to_have_count(2)
    expect(page.get_by_test_id("bulk-outcomes")).to_contain_text("Приоритет: Срочный")
    screenshot(page, "bulk-run")
    assert Client.objects.filter(priority__name="Срочный").count() == 2
    # and back in the registry the marks are gone
    page.get_by_test_id("bulk-back").click()
    expect(page.get_by_test_id("registry-marked-count")).to_have_text("Отмечено: 0")
    assert csp_violations(page) == []
