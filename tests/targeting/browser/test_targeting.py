"""The targeting system in a real browser (TGT-01 … TGT-03): the administrator adds a goal and sets a plan, the
manager's event earns units, and the Assistant's monitor shows them against the plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.directories.models import EventType
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, screenshot, sign_in, watch_csp


@pytest.mark.feature("TGT-01", "TGT-02", "TGT-03")
def test_an_administrator_sets_a_goal_and_a_plan_and_the_manager_sees_his_progress(
        page, live_server, transactional_db):
    base = live_server.url
    EventType.objects.create(name="Коммерческое предложение", name_key="коммерческое предложение")
    manager = UserFactory(login="anna", full_name="Анна Менеджерова", role="manager")
    client = ClientFactory(curator=manager, short_name="ООО «Арсенал-Сервис»")
    UserFactory(login="boss", full_name="Администратор", role="admin")
    watch_csp(page)
    sign_in(page, base, "boss")

    # when the administrator opens Администрирование → Система таргетинга and adds a goal of 0.5 units
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name="Система таргетинга").click()
    expect(page.get_by_test_id("targeting-no-goals")).to_be_visible()
    page.get_by_test_id("targeting-goal-new").click()
    form = page.get_by_test_id("targeting-goal-form")
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option(label="Событие")
    form.locator("select[name=event_type]").select_option(label="Коммерческое предложение")
    form.locator("input[name=weight]").fill("0.5")
    form.get_by_test_id("targeting-goal-ok").click()
    expect(page.get_by_test_id("targeting-goal")).to_contain_text("Событие: Коммерческое предложение")

    # and gives the manager a plan of 2 units a day
    row = page.get_by_test_id("targeting-plan-anna")
    row.locator("input").nth(0).fill("2")
    row.locator("input").nth(1).fill("10")
    row.locator("input").nth(2).fill("40")
    screenshot(page, "targeting-setup")
    page.get_by_test_id("targeting-plans-save").click()
    expect(page.get_by_test_id("targeting-plan-anna").locator("input").nth(0)).to_have_value("2.00")
    assert csp_violations(page) == []

    # when the manager records a commercial offer in the client's History
    page.context.clear_cookies()
    sign_in(page, base, "anna")
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-events").click()
    page.get_by_test_id("event-add").click()
    modal = page.locator("#k-modal")
    modal.locator("#id_event_event_type").select_option(label="Коммерческое предложение")
    modal.locator("#id_event_description").fill("Отправлено КП на поставку")
    page.get_by_test_id("event-ok").click()
    expect(page.get_by_test_id("card-event")).to_have_count(1)

    # then the Assistant's monitor on the main window shows half a unit of today's two
    page.goto(f"{base}/")
    today = page.get_by_test_id("targeting-own-day")
    expect(today).to_contain_text("0,50 / 2")
    expect(today).to_contain_text("25 %")
