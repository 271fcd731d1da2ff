"""A manager's day in one go (issue 13, "done when"): a client found by a word of its name with Ctrl+F, opened,
two tabs edited, OK, back on the same row; 120 rows down with the arrows, another card opened, Esc with unsaved
changes answered «Нет» — nothing lost and no place lost, with the browser at 1280 × 800."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client, ClientRegistration
from tests.clients.factories import client_named
from tests.clients.support import OKPO
from tests.support.browser import sign_in

NAME = "АО «Юпитер-Трейд»"  # by name it comes before every «Клиент …»


def _focused(page: Any) -> Any:
    return page.locator("#k-registry-body tr[data-row].k-focus")


def _focused_is(page: Any, name: str) -> None:
    expect(_focused(page).get_by_test_id("registry-name")).to_have_text(name)


def _open_tab(page: Any, tab: str) -> None:
    page.get_by_test_id(f"tab-{tab}").click()
    expect(page.get_by_test_id(f"pane-{tab}").locator("input, textarea, select").first).to_be_attached()


@pytest.mark.feature("REG-07")
@pytest.mark.feature("REG-01")
@pytest.mark.feature("CLI-01")
def test_a_managers_day_loses_nothing_and_never_loses_the_place(page, live_server, manager_user, admin_user,
                                                                transactional_db):
    # given two hundred clients of the manager's, among them one whose name starts with its legal form
    page.set_viewport_size({"width": 1280, "height": 800})
    names = [f"Клиент {i:03d}" for i in range(200)]
    clients = {name: client_named(name, curator=manager_user) for name in names}
    jupiter = client_named(NAME, curator=manager_user, phone="+7 (495) 100-00-01")
    base = live_server.url
    sign_in(page, base, "manager")

    # when: Ctrl+F with a word of the name (not its start), Enter leaves the box, Enter opens the card
    page.keyboard.press("Control+f")
    page.keyboard.type("юпитер")
    _focused_is(page, NAME)
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{jupiter.pk}/")
    # and two tabs are edited: the main requisites' phone and the registration data, then OK
    page.fill("#id_phone", "+7 (495) 200-00-02")
    _open_tab(page, "registration")
    page.fill("#id_reg-okpo", OKPO)
    page.fill("#id_reg-director", "Петров Пётр Петрович")
    page.get_by_test_id("client-ok").click()

    # then: the same row under the cursor, with the new phone and the search text kept
    page.wait_for_url(f"{base}/?focus={jupiter.pk}")  # without the card's "#tab-…" the browser carried over
    _focused_is(page, NAME)
    expect(_focused(page)).to_contain_text("+7 (495) 200-00-02")
    assert page.input_value("#k-registry-find") == "юпитер"
    # and both tabs' values were saved
    assert Client.objects.get(pk=jupiter.pk).phone == "+7 (495) 200-00-02"
    registration = ClientRegistration.objects.get(client=jupiter)
    assert (registration.okpo, registration.director) == (OKPO, "Петров Пётр Петрович")

    # when: the cursor walks 120 rows down the registry (in name order, from the client found)
    for _i in range(120):
        page.keyboard.press("ArrowDown")
    # then it went past the rows first loaded, to the 120th name after it
    _focused_is(page, "Клиент 119")
    assert page.locator("#k-registry-body tr[data-row]").count() > 120

    # when that card is opened, a field typed in, and Esc answered «Нет» to «Сохранить изменения?»
    page.keyboard.press("Enter")
    other = clients["Клиент 119"]
    page.wait_for_url(f"{base}/clients/{other.pk}/")
    page.fill("#id_notes", "Не сохранять")
    page.keyboard.press("Escape")
    dialog = page.get_by_test_id("unsaved-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Сохранить изменения?")
    page.get_by_test_id("unsaved-no").click()

    # then: back on the same row, the typing not saved, the first client's work still there
    page.wait_for_url(f"{base}/?focus={other.pk}")
    _focused_is(page, "Клиент 119")
    assert Client.objects.get(pk=other.pk).notes == ""
    assert Client.objects.get(pk=jupiter.pk).phone == "+7 (495) 200-00-02"
