"""Extended search (Shift+F) from the main window: the registry's cursor follows the matches."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.clients.models import ContactPerson
from kontora.core.text import digits
from tests.clients.factories import client_named
from tests.support.browser import screenshot, sign_in


def _client(curator, name, phone, mobile=""):
    client = client_named(name, curator=curator, phone=phone)
    if mobile:
        ContactPerson.objects.create(client=client, full_name="Иванов Иван Иванович", phone_mobile=mobile,
                                     phones_digits=digits(mobile))
    return client


def _cursor_on(page, name):
    """Waits until the cursor stands on the row of `name` (a key's handler may still be at work when it returns)."""
    expect(page.locator("tr[data-row].k-focus [data-testid=registry-name]")).to_have_text(name)


@pytest.mark.feature("REG-08")
def test_shift_f_finds_a_client_by_a_phone_fragment_and_next_moves_on(page, live_server, admin_user,
                                                                     transactional_db):
    # given
    for i in range(12):
        _client(admin_user, f"ООО «Альфа-{i:02d}»", f"+7 (495) 100-00-{i:02d}")
    vector = _client(admin_user, "ООО «Вектор»", "+7 (495) 200-00-00", mobile="+7 (916) 555-12-34")
    cedar = _client(admin_user, "ПАО «Кедр»", "+7 (812) 555-12-30")
    sign_in(page, live_server.url, "admin")
    # when: Shift+F opens the search and a phone fragment is typed with a dash
    page.locator("body").press("Shift+F")
    page.get_by_test_id("search-modal").wait_for(state="visible")
    page.get_by_test_id("search-phone").fill("555-12-3")
    page.get_by_test_id("search-start").click()
    # then: the first match in name order is announced and the registry's cursor is on it
    page.get_by_text(f"Найден клиент: {vector.code} · ООО «Вектор»").wait_for()
    expect(page.locator("tr[data-row].k-focus")).to_have_count(1)
    _cursor_on(page, "ООО «Вектор»")
    # when: Next >>
    page.get_by_test_id("search-next").click()
    # then
    page.get_by_text(f"Найден клиент: {cedar.code} · ПАО «Кедр»").wait_for()
    expect(page.locator("tr[data-row].k-focus [data-testid=registry-name]")).to_have_text("ПАО «Кедр»")
    screenshot(page, "client-search")
    # when: Next >> again
    page.get_by_test_id("search-next").click()
    # then
    page.get_by_text("Больше совпадений нет. Нажмите «Старт...», чтобы искать с начала.").wait_for()
    assert page.get_by_test_id("search-next").is_disabled()
