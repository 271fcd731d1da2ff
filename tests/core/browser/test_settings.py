"""Settings → Parameters (ACC-07) and Settings → Functionality (ORG-05) in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.core.models import UserParameters
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("ACC-07")
def test_parameters_switch_the_interface_to_english(page, live_server, manager_user, admin_user, transactional_db):
    # given
    sign_in(page, live_server.url, "manager")
    page.get_by_role("button", name="Настройки").click()
    page.get_by_role("link", name="Параметры").click()
    page.wait_for_url(f"{live_server.url}/settings/parameters/")
    page.get_by_role("tab", name="Вход в систему").click()
    page.get_by_label("Показывать журнал задач при запуске системы").check()
    screenshot(page, "parameters")
    page.get_by_role("tab", name="Общие").click()
    # when
    page.get_by_label("Язык интерфейса").select_option("en")
    page.locator("button[name=ok]").click()
    # then
    page.wait_for_url(f"{live_server.url}/")
    assert page.title() == "Main window · Kontora"
    assert page.get_by_text("Parameters saved.").is_visible()
    assert page.get_by_role("button", name="Next >>").is_visible()


@pytest.mark.feature("ORG-05")
def test_functionality_page(page, live_server, admin_user, transactional_db):
    # given
    sign_in(page, live_server.url, "admin")
    page.get_by_role("button", name="Настройки").click()
    page.get_by_role("link", name="Функционал").click()
    page.wait_for_url(f"{live_server.url}/settings/functionality/")
    # when
    page.get_by_label("Кассовый учёт").uncheck()
    screenshot(page, "functionality")
    page.get_by_role("button", name="Применить").click()
    # then
    page.wait_for_selector("text=Настройки функционала сохранены.")
    assert not page.get_by_label("Кассовый учёт").is_checked()
    assert page.get_by_label("Складской учёт").is_checked()


@pytest.mark.feature("ACC-07")
def test_leaving_the_parameters_with_a_change_asks_whether_to_save(page, live_server, manager_user, transactional_db):
    # given a box ticked on Settings → Parameters
    base = live_server.url
    sign_in(page, base, "manager")
    page.goto(f"{base}/settings/parameters/")
    page.get_by_role("tab", name="Вход в систему").click()
    box = page.get_by_label("Показывать журнал задач при запуске системы")
    box.check()
    # when Esc is pressed: the question; «Нет» leaves without saving
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("unsaved-dialog")).to_be_visible()
    page.get_by_test_id("unsaved-no").click()
    page.wait_for_url(f"{base}/")
    assert not UserParameters.objects.filter(user=manager_user, show_tasks_at_login=True).exists()
    # when ticked again and left by the Help menu's first item, answering «Да»: saved, and on to that page
    page.goto(f"{base}/settings/parameters/")
    page.get_by_role("tab", name="Вход в систему").click()
    box.check()
    page.locator("[data-menu=help] > .dropdown-toggle").click()
    item = page.locator("[data-menu=help] a.dropdown-item[href^='/']").first
    target = item.get_attribute("href")
    item.click()
    page.get_by_test_id("unsaved-yes").click()
    page.wait_for_url(f"{base}{target}")
    assert UserParameters.objects.get(user=manager_user).show_tasks_at_login
