"""The client registry in the main window, driven by the keyboard and the mouse."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.clients.factories import client_named
from tests.support.browser import screenshot, sign_in

NAMES = ["ООО «Альфа»", "АО «Берёза»", "ООО «Вектор»", "ЗАО «Гранит»", "ООО «Дельта»", "ООО «Ёлка»",
         "ИП Жуков Иван Петрович", "ООО «Заря»", "ООО «Исток»", "ПАО «Кедр»"]


def _clients(curator):
    return [
        client_named(name, curator=curator, phone=f"+7 (495) 100-00-{i:02d}", flagged=i == 2, private=i == 4,
                     needs_attention=i == 7)
        for i, name in enumerate(NAMES)
    ]


def _cursor_on(page, name):
    """Waits until the cursor stands on the row of `name` (a key's handler may still be at work when it returns)."""
    expect(page.locator("tr[data-row].k-focus [data-testid=registry-name]")).to_have_text(name)


@pytest.mark.feature("REG-01")
@pytest.mark.feature("REG-09")
@pytest.mark.feature("REG-10")
def test_registry_with_the_keyboard(page, live_server, manager_user, admin_user, transactional_db):
    # given
    clients = _clients(manager_user)
    sign_in(page, live_server.url, "manager")
    assert page.get_by_test_id("registry-row").count() == 10
    assert page.get_by_test_id("registry-count").inner_text() == "10 из 10"
    # when: the cursor goes down to the second row (name order) and Space marks it
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    # then
    _cursor_on(page, "ЗАО «Гранит»")
    page.get_by_text("Отмечено: 1").wait_for()
    screenshot(page, "registry")
    # and the mark outlives a reload: it is kept on the server
    page.reload()
    assert page.locator("tr.k-marked [data-testid=registry-name]").inner_text() == "ЗАО «Гранит»"
    # when: Enter on the first row opens its card
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # then
    page.wait_for_url(f"{live_server.url}/clients/{clients[1].pk}/")


@pytest.mark.feature("REG-07")
def test_ctrl_f_jumps_to_the_typed_name(page, live_server, manager_user, admin_user, transactional_db):
    # given
    _clients(manager_user)
    sign_in(page, live_server.url, "manager")
    # when
    page.keyboard.press("Control+f")
    page.keyboard.type("ооо ЕЛК")
    # then: the cursor is on the best match, ё and case ignored
    page.locator("tr[data-row].k-focus").wait_for()
    _cursor_on(page, "ООО «Ёлка»")
    # when: Enter leaves the cursor there
    page.keyboard.press("Enter")
    # then
    _cursor_on(page, "ООО «Ёлка»")
    # when: the rows above the match are asked for
    page.get_by_test_id("registry-earlier").click()
    page.get_by_test_id("registry-earlier").wait_for(state="detached")
    # then: the whole list is there in name order, the cursor still on the match
    names = page.get_by_test_id("registry-name").all_inner_texts()
    assert names[:2] == ["АО «Берёза»", "ЗАО «Гранит»"] and names.index("ООО «Ёлка»") > 2
    _cursor_on(page, "ООО «Ёлка»")


@pytest.mark.feature("REG-02")
def test_header_click_sorts_and_a_second_click_turns_the_order_over(
    page, live_server, manager_user, admin_user, transactional_db,
):
    # given
    _clients(manager_user)
    sign_in(page, live_server.url, "manager")
    # when
    page.get_by_test_id("registry-sort-code").click()
    page.wait_for_url("**/?sort=code")
    page.get_by_test_id("registry-sort-code").click()
    page.wait_for_url("**/?sort=-code")
    # then
    assert page.get_by_test_id("registry-name").first.inner_text() == "ПАО «Кедр»"
    # when: the context menu sorts too
    page.get_by_test_id("registry-row").first.click(button="right")
    page.get_by_test_id("registry-menu").get_by_title("Сортировать: Наименование, по убыванию").click()
    # then
    page.wait_for_url("**/?sort=-name")
    assert page.get_by_test_id("registry-name").first.inner_text() == "ПАО «Кедр»"
    assert page.get_by_test_id("registry-name").last.inner_text() == "АО «Берёза»"


@pytest.mark.feature("REG-07")
@pytest.mark.feature("REG-02")
def test_ctrl_f_moves_the_sort_arrow_to_the_name_and_back(page, live_server, manager_user, admin_user,
                                                          transactional_db):
    # given a registry sorted by code, descending
    _clients(manager_user)
    sign_in(page, live_server.url, "manager")
    page.goto(f"{live_server.url}/?sort=-code")
    code_header = page.locator("#k-registry-head th").nth(2)
    name_header = page.locator("#k-registry-head th").nth(3)
    assert code_header.get_attribute("aria-sort") == "descending"
    # when Ctrl+F finds a name, the rows are in name order and the header says so
    page.keyboard.press("Control+f")
    page.keyboard.type("ооо век")
    page.locator("tr[data-row].k-focus").wait_for()
    page.locator("#k-registry-head th[aria-sort=ascending]").wait_for(timeout=5000)
    _cursor_on(page, "ООО «Вектор»")
    assert name_header.get_attribute("aria-sort") == "ascending"
    assert code_header.get_attribute("aria-sort") is None
    # when the search text is cleared, the session's sort and its arrow come back
    page.fill("#k-registry-find", "")
    page.locator("#k-registry-head th[aria-sort=descending]").wait_for()
    assert code_header.get_attribute("aria-sort") == "descending"
