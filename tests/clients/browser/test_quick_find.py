"""Ctrl+F in the browser finds a client by what people type (issue 13, item 8): the name past its legal form, and
the nearest name when nothing matches — the cursor always lands on a row."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.clients.factories import client_named
from tests.support.browser import sign_in

NAMES = ["ООО «Альфа»", "АО «Берёза»", "ООО «Вектор»", "ЗАО «Гранит»", "ИП Жуков Иван Петрович", "ПАО «Кедр»"]


def _type(page, text: str) -> None:
    page.fill("#k-registry-find", "")
    page.locator("#k-registry-find").press_sequentially(text)


@pytest.mark.feature("REG-07")
def test_ctrl_f_finds_a_name_past_its_legal_form_and_never_lands_on_an_empty_list(
    page, live_server, manager_user, admin_user, transactional_db,
):
    # given
    for name in NAMES:
        client_named(name, curator=manager_user)
    sign_in(page, live_server.url, "manager")
    page.keyboard.press("Control+f")
    focused = page.locator("tr[data-row].k-focus [data-testid=registry-name]")
    # when / then: the meaningful part, the legal form and quotes ignored
    _type(page, "Вектор")
    expect(focused).to_have_text("ООО «Вектор»")
    # nothing starts with the text and it sorts after every name: the last client, not an empty list
    _type(page, "Юпитер")
    expect(focused).to_have_text("ПАО «Кедр»")
    expect(page.get_by_test_id("registry-row")).to_have_count(len(NAMES))
    _type(page, "жуков")
    expect(focused).to_have_text("ИП Жуков Иван Петрович")
    # with the legal form typed, from the start of the name as before
    _type(page, "ао бе")
    expect(focused).to_have_text("АО «Берёза»")
