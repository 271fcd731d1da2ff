"""The registry keeps the user's place: back from a card on the same row, the keyboard walks past the rows loaded,
and the counter tells how many rows are loaded of how many (issue 13, items 5–7)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client
from kontora.clients.selectors import registry as selectors
from tests.clients.factories import client_named
from tests.support.browser import sign_in

OFFSET = """() => {
  const row = document.querySelector('#k-registry-body tr[data-row].k-focus');
  if (!row) return NaN;
  const box = row.closest('.k-registry-scroll');
  return row.getBoundingClientRect().top - box.getBoundingClientRect().top;
}"""
SHOWN = """() => {
  const row = document.querySelector('#k-registry-body tr[data-row].k-focus');
  const box = row.closest('.k-registry-scroll').getBoundingClientRect(), r = row.getBoundingClientRect();
  return r.top >= box.top && r.bottom <= box.bottom;
}"""

PANELS = "() => [document.getElementById('k-assistant').open, document.getElementById('k-informer').open]"


def _clients(curator: Any) -> list[Client]:
    return [client_named(f"Клиент {i:03d}", curator=curator, phone=f"+7 (495) 100-01-{i:03d}") for i in range(130)]


def _focused(page: Any) -> Any:
    return page.locator("#k-registry-body tr[data-row].k-focus")


def _focused_name(page: Any) -> str:
    return str(_focused(page).get_by_test_id("registry-name").inner_text())


def _cursor_on(page: Any, name: str) -> None:
    """Waits until the cursor stands on the row of `name` (a key's handler may still be at work when it returns)."""
    expect(_focused(page).get_by_test_id("registry-name")).to_have_text(name)


def _stands_at(page: Any, offset: float) -> None:
    """Waits until the row under the cursor stands `offset` pixels below the top of the scrolling box (±2)."""
    page.wait_for_function(f"() => Math.abs(({OFFSET})() - {offset}) <= 2")


def _loaded(page: Any) -> int:
    return int(page.locator("#k-registry-body tr[data-row]").count())


@pytest.mark.feature("REG-07")
@pytest.mark.feature("REG-02")
@pytest.mark.feature("CLI-01")
def test_back_from_the_card_the_registry_is_where_the_user_left_it(page, live_server, manager_user, admin_user,
                                                                   transactional_db):
    # given
    clients = {c.short_name: c for c in _clients(manager_user)}
    base = live_server.url
    sign_in(page, base, "manager")
    # when: Ctrl+F a name, Enter leaves the box, the cursor goes two rows down and Enter opens the card
    page.keyboard.press("Control+f")
    page.keyboard.type("клиент 07")
    page.wait_for_function("() => document.querySelector('#k-registry-body tr.k-focus [data-testid=registry-name]')"
                           "?.textContent === 'Клиент 070'")
    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    _cursor_on(page, "Клиент 072")
    offset = page.evaluate(OFFSET)
    page.keyboard.press("Enter")
    target = clients["Клиент 072"]
    page.wait_for_url(f"{base}/clients/{target.pk}/")
    # and a field the registry shows is changed and OK pressed
    page.fill("#id_phone", "+7 (495) 777-77-72")
    page.get_by_test_id("client-ok").click()
    # then: the same row under the cursor, where it stood, with the new phone, the search text and name order kept
    page.wait_for_url(f"{base}/?focus={target.pk}")
    _stands_at(page, offset)
    _cursor_on(page, "Клиент 072")
    assert _focused(page).locator("td").nth(5).inner_text() == "+7 (495) 777-77-72"
    assert page.input_value("#k-registry-find") == "клиент 07"
    assert page.locator("#k-registry-head th").nth(3).get_attribute("aria-sort") == "ascending"
    # and the cursor goes on from there: the row below is the next name
    page.keyboard.press("ArrowDown")
    _cursor_on(page, "Клиент 073")

    # given: another sort than the default one, and no search
    page.goto(f"{base}/?sort=-code")
    # when: the cursor walks down past the fifty rows loaded, then the card is opened and closed with Esc
    for _i in range(60):
        page.keyboard.press("ArrowDown")
    page.wait_for_function("() => document.querySelector('#k-registry-body tr.k-focus [data-testid=registry-name]')"
                           "?.textContent === 'Клиент 070'")
    assert _loaded(page) == 100 and page.get_by_test_id("registry-count").inner_text() == "100 из 130"
    # and both side panels are hidden
    page.locator("#k-assistant > summary").click()
    page.locator("#k-informer > summary").click()
    _focused(page).click()  # back to the registry, the cursor where it was
    offset = page.evaluate(OFFSET)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{clients['Клиент 070'].pk}/")
    # and left by the browser's Back (the page is drawn again from the top: nothing is kept in its cache)
    page.go_back()
    page.wait_for_url(f"{base}/?sort=-code")
    _stands_at(page, offset)
    _cursor_on(page, "Клиент 070")
    assert page.evaluate(PANELS) == [False, False]
    # and opened again and closed with Esc
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{clients['Клиент 070'].pk}/")
    page.keyboard.press("Escape")
    # then: the same row, where it stood, in code order descending, the search box empty
    page.wait_for_url(f"{base}/?focus={clients['Клиент 070'].pk}")
    _stands_at(page, offset)
    _cursor_on(page, "Клиент 070")
    assert page.locator("#k-registry-head th").nth(2).get_attribute("aria-sort") == "descending"
    assert page.input_value("#k-registry-find") == ""
    assert page.evaluate(PANELS) == [False, False]  # the side panels stay hidden
    assert page.get_by_test_id("registry-count").inner_text() == f"{_loaded(page)} из 130"


@pytest.mark.feature("REG-01")
@pytest.mark.feature("REG-09")
@pytest.mark.feature("REG-11")
def test_the_keyboard_walks_the_whole_registry_and_the_counter_tells_the_truth(
    page, live_server, manager_user, admin_user, transactional_db, monkeypatch,
):
    # given more clients than the (lowered) cap of the count
    monkeypatch.setattr(selectors, "COUNT_CAP", 100)
    clients = {c.short_name: c for c in _clients(manager_user)}
    base = live_server.url
    sign_in(page, base, "manager")
    assert page.get_by_test_id("registry-count").inner_text() == "50 из 100+ сосчитать точно"
    # when the exact count is asked for
    page.get_by_test_id("registry-count-exact").click()
    # then it comes (a background job; at once in tests)
    page.get_by_test_id("registry-exact-total").wait_for()
    assert page.get_by_test_id("registry-exact-total").inner_text() == "всего: 130"

    # when a row is right-clicked
    row = page.get_by_test_id("registry-row").nth(2)
    box = row.bounding_box()
    row.click(button="right", position={"x": 150, "y": 8})
    # then the menu opens at the pointer, with the manual's items
    menu = page.get_by_test_id("registry-menu")
    at = menu.bounding_box()
    assert abs(at["x"] - (box["x"] + 150)) <= 2 and abs(at["y"] - (box["y"] + 8)) <= 2
    items = [re.sub(r"\s+", " ", text).strip() for text in menu.locator("button.dropdown-item").all_inner_texts()]
    assert items == ["Открыть Enter", "Ввести нового контрагента Ins", "Поиск Ctrl+F", "Расширенный поиск Shift+F",
                     "Отметить / снять отметку Пробел"]
    _cursor_on(page, "Клиент 002")
    # when «Поиск» is chosen, the quick-find box takes the keys
    menu.locator("[data-focus]").click()
    assert page.evaluate("() => document.activeElement.id") == "k-registry-find"
    page.keyboard.press("Escape")

    # given the registry opened in the middle (back from the card of «Клиент 070»)
    page.goto(f"{base}/?focus={clients['Клиент 070'].pk}")
    _cursor_on(page, "Клиент 070")
    assert _loaded(page) == 101
    # when PageUp goes up past the first row loaded
    for _i in range(5):
        page.keyboard.press("PageUp")
    # then the rows above were loaded and the cursor went on to the top, in sight
    page.get_by_test_id("registry-earlier").wait_for(state="detached")
    page.wait_for_function("() => document.querySelector('#k-registry-body tr.k-focus [data-testid=registry-name]')"
                           "?.textContent === 'Клиент 000'")
    assert _loaded(page) == 121 and page.evaluate(SHOWN)
    assert page.get_by_test_id("registry-count").inner_text().startswith("121 из 100+")
    # when PageDown
    page.keyboard.press("PageDown")
    # then the cursor moves by a screenful, in sight
    moved = int(_focused_name(page)[-3:])
    assert moved > 5 and page.evaluate(SHOWN)

    # when F2 is pressed on the row under the cursor
    page.keyboard.press("F2")
    # then its card opens
    page.wait_for_url(f"{base}/clients/{clients[f'Клиент {moved:03d}'].pk}/")


# Holds back the registry's request for the rows around a client (the way back from a card) as a slow network would.
SLOW_WAY_BACK = """(() => {
  const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.kUrl = String(url);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.kUrl.indexOf("focus=") < 0) return send.apply(this, arguments);
    setTimeout(() => send.apply(this, arguments), 1500);
  };
})();"""


@pytest.mark.feature("REG-07")
@pytest.mark.feature("REG-01")
def test_arrows_pressed_while_the_rows_come_back_from_a_card_are_not_lost(page, live_server, manager_user,
                                                                         transactional_db):
    # given a client found by Ctrl+F and opened, on a slow network
    clients = {c.short_name: c for c in _clients(manager_user)}
    base = live_server.url
    sign_in(page, base, "manager")
    page.add_init_script(SLOW_WAY_BACK)
    page.keyboard.press("Control+f")
    page.keyboard.type("клиент 04")
    page.wait_for_function("() => document.querySelector('#k-registry-body tr.k-focus [data-testid=registry-name]')"
                           "?.textContent === 'Клиент 040'")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/clients/{clients['Клиент 040'].pk}/")
    # when the card is closed and three arrows are pressed while the search's rows are still on their way
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/?focus={clients['Клиент 040'].pk}")
    page.wait_for_selector("#k-registry-body[aria-busy=true]", state="attached")
    for _i in range(3):
        page.keyboard.press("ArrowDown")
    # then, once they came, the cursor stands three rows below the client, not back on it
    page.wait_for_selector("#k-registry-body:not([aria-busy])", state="attached")
    page.wait_for_function("() => document.querySelector('#k-registry-body tr.k-focus [data-testid=registry-name]')"
                           "?.textContent === 'Клиент 043'")
    assert page.input_value("#k-registry-find") == "клиент 04"
