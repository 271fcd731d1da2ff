"""Administration → Users and Active users in a real browser; takes the user guide's screenshots."""

from __future__ import annotations

import re

import pytest

from kontora.accounts.models import User, UserRight
from kontora.core.models import Department, Position
from tests.accounts.factories import UserFactory
from tests.support.browser import screenshot, sign_in


@pytest.mark.feature("ACC-02", "ACC-03", "ACC-04", "ACC-06")
def test_admin_creates_a_manager_and_ends_their_session(page, new_page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    sales, store = Department.objects.create(name="Отдел продаж"), Department.objects.create(name="Склад")
    Position.objects.create(department=sales, name="Менеджер по продажам")
    UserFactory(login="super", full_name="Сергей Супервизоров", role="supervisor", department=sales,
                position=Position.objects.create(department=sales, name="Руководитель отдела"), doc_prefix="СС")
    UserFactory(login="sklad", full_name="Олег Кладовщиков", role="specialist", department=store,
                position=Position.objects.create(department=store, name="Кладовщик"), doc_prefix="ОК")
    UserFactory(login="petrov", full_name="Пётр Петров", role="manager", department=sales,
                position=Position.objects.create(department=sales, name="Менеджер"), doc_prefix="ПП", disabled=True,
                dismissed=True)
    sign_in(page, base, "admin")
    # when: Administration → Users from the menu bar
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name="Пользователи", exact=True).click()
    page.wait_for_url(f"{base}/administration/users/")
    screenshot(page, "users-list")
    # Ins opens a new user card
    page.locator("[data-testid=users-table] tbody tr").first.click()
    page.keyboard.press("Insert")
    page.wait_for_url(f"{base}/administration/users/new/")
    page.fill("#id_full_name", "Анна Менеджерова")
    page.fill("#id_login", "anna")
    page.select_option("#id_department", label="Отдел продаж")
    # only the positions of the chosen department are offered
    assert page.locator("#id_position option[data-department]:not([hidden])").all_inner_texts() == [
        "Менеджер", "Менеджер по продажам", "Руководитель отдела",
    ]
    page.select_option("#id_position", label="Менеджер по продажам")
    page.fill("#id_doc_prefix", "АМ")
    page.fill("#id_email", "anna@example.ru")
    page.fill("#id_mobile", "+7 900 123-45-67")
    page.fill("#id_password", "Sekret-Parol-42")
    page.fill("#id_password_confirm", "Sekret-Parol-42")
    screenshot(page, "user-card-general")
    page.click("#tab-rights")
    # the role's base rights follow the chosen role at once
    page.select_option("#id_role", "supervisor")
    journals = page.locator("#id_rights_journals_all_users")
    assert journals.is_checked() and journals.is_disabled()
    assert "собирать отчёты по всем сотрудникам" in page.locator("[data-testid=role-description]").inner_text()
    page.select_option("#id_role", "manager")
    assert not journals.is_checked() and journals.is_enabled()
    page.check("#id_rights_mailing")
    page.check("#id_rights_keep_private_clients")
    screenshot(page, "user-card-rights")
    page.click("[data-testid=user-ok]")
    page.wait_for_url(f"{base}/administration/users/")
    # then
    row = page.locator("[data-testid=users-table] tbody tr", has_text="anna")
    assert "Анна Менеджерова" in row.inner_text() and "АМ" in row.inner_text()
    anna = User.objects.get(login="anna")
    assert (anna.role, anna.doc_prefix) == ("manager", "АМ")
    assert (anna.department.name, anna.position.name) == ("Отдел продаж", "Менеджер по продажам")
    assert set(UserRight.objects.filter(user=anna).values_list("code", flat=True)) == {
        "mailing", "keep_private_clients",
    }

    # given: the new manager signs in on another computer
    other = new_page()
    sign_in(other, base, "anna", "Sekret-Parol-42")
    # when: Administration → Active users
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name="Активные пользователи", exact=True).click()
    page.wait_for_url(f"{base}/administration/sessions/")
    rows = page.locator("[data-testid=sessions-table] tbody tr[data-testid=session-row]")
    assert rows.count() == 2
    screenshot(page, "active-users")
    page.once("dialog", lambda dialog: dialog.accept())
    rows.filter(has_text="Анна Менеджерова").get_by_role("button", name="Завершить сеанс").click()
    page.wait_for_selector("text=Сеанс пользователя Анна Менеджерова завершён")
    # then
    assert page.locator("[data-testid=sessions-table] tbody tr[data-testid=session-row]").count() == 1
    other.reload()
    other.wait_for_url(re.compile(r"/login/"))
    assert other.locator("#id_password").is_visible()


@pytest.mark.feature("ACC-03")
def test_the_last_administrator_cannot_demote_themselves(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    sign_in(page, base, "admin")
    page.goto(f"{base}/administration/users/{admin_user.pk}/rights/")
    # when
    page.select_option("#id_role", "manager")
    page.click("[data-testid=user-apply]")
    # then: the card comes back on the Rights tab with the message under the role
    error = page.locator("[data-testid=error-role]")
    error.wait_for()
    assert error.inner_text() == (
        "В системе всегда должен быть как минимум один администратор: "
        "этот пользователь — последний действующий администратор."
    )
    assert page.locator("#pane-rights").is_visible()
    admin_user.refresh_from_db()
    assert admin_user.role == "admin"


@pytest.mark.feature("ACC-02")
def test_double_click_opens_the_card_and_escape_closes_it(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    supervisor = UserFactory(login="super", full_name="Сергей Супервизоров", role="supervisor")
    sign_in(page, base, "admin")
    page.goto(f"{base}/administration/users/")
    # when
    page.locator("[data-testid=users-table] tbody tr", has_text="Сергей Супервизоров").dblclick()
    # then
    page.wait_for_url(f"{base}/administration/users/{supervisor.pk}/")
    assert page.input_value("#id_login") == "super"
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/administration/users/")
