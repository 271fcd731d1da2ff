"""The foundation's story end to end: a fresh base to two working colleagues and a disabled account."""

from __future__ import annotations

import re

import pytest

from kontora.accounts.models import User
from tests.accounts.support import fill_organisation
from tests.support.browser import sign_in

ADMIN_PASSWORD = "Ромашка-2025!"


def menu_sections(page) -> list[str]:
    return [s.strip() for s in page.locator(".k-menubar [data-menu] > a").all_inner_texts()]


def create_user(page, base: str, *, full_name: str, login: str, role: str, prefix: str, password: str) -> None:
    page.goto(f"{base}/administration/users/")
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/administration/users/new/")
    page.fill("#id_full_name", full_name)
    page.fill("#id_login", login)
    page.fill("#id_doc_prefix", prefix)
    page.fill("#id_password", password)
    page.fill("#id_password_confirm", password)
    page.click("#tab-rights")
    page.select_option("#id_role", role)
    page.click("[data-testid=user-ok]")
    page.wait_for_url(f"{base}/administration/users/")


@pytest.mark.feature("SYS-01", "SYS-05", "ACC-01", "ACC-02", "ACC-03", "ACC-06")
def test_fresh_base_to_two_colleagues_and_a_disabled_account(page, new_page, live_server, transactional_db):
    base = live_server.url
    # given a fresh base: the wizard refuses a wrong INN first
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/setup/")
    fill_organisation(page, "7707083890")
    page.click("[data-testid=setup-next]")
    assert page.locator("[data-testid=error-inn]").inner_text() == "ИНН: неверное контрольное число"
    page.fill("#id_inn", "7707083893")
    page.click("[data-testid=setup-next]")
    page.wait_for_url(f"{base}/setup/user/")
    page.fill("#id_login", "director")
    page.fill("#id_full_name", "Иванов Иван Иванович")
    page.fill("#id_password1", ADMIN_PASSWORD)
    page.fill("#id_password2", ADMIN_PASSWORD)
    page.click("[data-testid=setup-finish]")
    page.wait_for_url(f"{base}/login/")

    # when the administrator signs in and creates a manager "АМ" and a supervisor
    sign_in(page, base, "director", ADMIN_PASSWORD)
    assert "Администрирование" in menu_sections(page)
    create_user(page, base, full_name="Алексей Менеджеров", login="am", role="manager", prefix="АМ",
                password="Menedzher-2025")
    create_user(page, base, full_name="Сергей Супервизоров", login="ss", role="supervisor", prefix="СС",
                password="Supervizor-2025")
    assert User.objects.get(login="am").doc_prefix == "АМ"
    assert User.objects.get(login="ss").role == "supervisor"

    # then the manager signs in and sees only the menus a manager may use
    manager = new_page()
    sign_in(manager, base, "am", "Menedzher-2025")
    assert menu_sections(manager) == ["Файл", "Справочники", "Журналы", "Планы и задачи", "Процессы", "Отчёты",
                                      "Настройки", "Справка"]
    manager.click("[data-menu=settings] > a")
    assert manager.locator("[data-menu=settings]").get_by_role("link", name="Функционал").count() == 0
    forbidden = manager.goto(f"{base}/administration/users/")
    assert forbidden is not None and forbidden.status == 403
    manager.goto(f"{base}/")

    # and the administrator sees both sessions in Active users
    page.goto(f"{base}/administration/sessions/")
    rows = page.locator("[data-testid=sessions-table] tbody tr[data-testid=session-row]")
    assert rows.count() == 2
    assert "Алексей Менеджеров" in rows.all_inner_texts()[0] + rows.all_inner_texts()[1]

    # when the administrator disables the manager's account
    page.goto(f"{base}/administration/users/")
    page.locator("[data-testid=users-table] tbody tr", has_text="Алексей Менеджеров").dblclick()
    page.wait_for_url(re.compile(r"/administration/users/\d+/"))
    page.check("#id_disabled")
    page.click("[data-testid=user-ok]")
    page.wait_for_url(f"{base}/administration/users/")

    # then the manager's next click lands on the login page with the "account disabled" message
    manager.click("[data-menu=settings] > a")
    manager.locator("[data-menu=settings]").get_by_role("link", name="Параметры").click()
    manager.wait_for_url(re.compile(r"/login/\?reason=disabled"))
    assert manager.locator("[data-testid=login-notice]").inner_text() == (
        "Администратор отключил вашу учётную запись. Сеанс завершён."
    )
    # and signing in again is refused with its own message
    manager.fill("#id_login", "am")
    manager.fill("#id_password", "Menedzher-2025")
    manager.click("button[type=submit]")
    assert manager.locator("[data-testid=login-error]").inner_text() == (
        "Учётная запись отключена. Обратитесь к администратору."
    )
