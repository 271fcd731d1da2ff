"""A message from the administrator pops up on the recipient's screen."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.support.browser import screenshot, sign_in


def test_message_from_administrator_pops_up_on_the_managers_screen(
    page, new_page, live_server, admin_user, manager_user, transactional_db
):
    # given: the manager works in another browser
    manager_page = new_page()
    sign_in(manager_page, live_server.url, "manager")
    expect(manager_page.locator("[data-testid=bell-count]")).to_be_hidden()
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/administration/message/")
    page.select_option("#id_recipient", label="Алексей Менеджеров (manager)")
    page.fill("#id_text", "Зайдите ко мне в 15:00, обсудим договор с «Ромашкой»")
    screenshot(page, "notifications-message-send")
    # when
    page.click("[data-testid=message-form] button[type=submit]")
    # then
    expect(page.locator(".alert-success")).to_have_text("Сообщение отправлено: Алексей Менеджеров.")
    expect(manager_page.locator("[data-testid=bell-count]")).to_have_text("1", timeout=8_000)
    toast = manager_page.locator("#k-toasts .toast")
    expect(toast).to_have_count(1)
    expect(toast).to_be_visible()
    expect(toast.locator(".toast-body")).to_contain_text("Зайдите ко мне в 15:00, обсудим договор с «Ромашкой»")
    expect(toast.locator(".toast-header")).to_contain_text("Администратор Системы")
    screenshot(manager_page, "notifications-toast")
    # and a toast is shown once: the next page keeps the count but pops nothing up
    manager_page.reload()
    expect(manager_page.locator("[data-testid=bell-count]")).to_have_text("1")
    manager_page.wait_for_timeout(1_000)
    expect(manager_page.locator("#k-toasts .toast")).to_have_count(0)
    # and reading it on the notifications page clears the bell
    manager_page.click("[data-testid=bell]")
    expect(manager_page.locator("[data-testid=notifications]")).to_contain_text("обсудим договор")
    screenshot(manager_page, "notifications-list")
    manager_page.click("text=Отметить все как прочитанные")
    expect(manager_page.locator("[data-testid=unread-total]")).to_have_text("0 непрочитанных")
    expect(manager_page.locator("[data-testid=bell-count]")).to_be_hidden()
