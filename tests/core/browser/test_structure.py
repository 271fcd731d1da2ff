"""The enterprise structure (ORG-02) in a real browser; takes the guide's screenshot."""

from __future__ import annotations

import pytest

from kontora.accounts.models import User
from kontora.core.models import Department, Position
from tests.support.browser import screenshot, sign_in


def open_admin_item(page, name: str) -> None:
    page.click("[data-menu=admin] > a")
    page.locator("[data-menu=admin]").get_by_role("link", name=name, exact=True).click()


@pytest.mark.feature("ORG-02")
def test_admin_builds_the_structure_and_assigns_a_position(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given
    sales = Department.objects.create(name="Отдел продаж", order=1)
    Position.objects.create(department=sales, name="Руководитель отдела", order=1)
    Position.objects.create(department=sales, name="Менеджер по продажам", order=2)
    store = Department.objects.create(name="Склад", order=2)
    sign_in(page, base, "admin")
    # when: Administration → Enterprise: structure, a position added to the warehouse
    open_admin_item(page, "Предприятие: структура")
    page.wait_for_url(f"{base}/administration/structure/")
    page.locator("[data-testid=department]", has_text="Склад").get_by_role("link", name="Добавить должность").click()
    page.fill("#id_name", "Кладовщик")
    page.click("[data-testid=structure-ok]")
    page.wait_for_url(f"{base}/administration/structure/")
    screenshot(page, "structure")
    # the user card offers the positions of the chosen department only
    page.goto(f"{base}/administration/users/{admin_user.pk}/")
    page.select_option("#id_department", label="Склад")
    offered = page.locator("#id_position option[data-department]:not([hidden])").all_inner_texts()
    page.select_option("#id_position", label="Кладовщик")
    page.click("[data-testid=user-ok]")
    page.wait_for_url(f"{base}/administration/users/")
    # then
    assert offered == ["Кладовщик"]
    assert "Кладовщик" in page.locator("[data-testid=users-table]").inner_text()
    admin = User.objects.get(pk=admin_user.pk)
    assert (admin.department, admin.position.name) == (store, "Кладовщик")
