"""Unsaved typing on the client card is never lost without a question (the daily-use issue's second item): Esc, a
menu item or any other way out asks «Сохранить изменения?» — Да saves, Нет leaves, Отмена stays with the typing."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client
from tests.clients.factories import ClientFactory
from tests.support.browser import screenshot, sign_in


def _card(page, base: str, client: Client) -> None:
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("client-card").wait_for()
    page.wait_for_load_state("networkidle")


def _notes(client: Client) -> str:
    return Client.objects.get(pk=client.pk).notes


@pytest.mark.feature("CLI-02", "CLI-03")
def test_leaving_the_card_after_typing_asks_whether_to_save(page, live_server, manager_user, transactional_db):
    base = live_server.url
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»", notes="Старое")
    dialog = page.get_by_test_id("unsaved-dialog")
    sign_in(page, base, "manager")

    # given nothing typed (a lazy tab opened, a value typed and put back): Esc leaves at once
    _card(page, base, client)
    page.get_by_test_id("tab-operational").click()
    expect(page.get_by_test_id("pane-operational").locator("select, input").first).to_be_attached()
    page.wait_for_load_state("networkidle")
    page.fill("#id_address", "ул. Ленина, 1")
    page.fill("#id_address", "")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{base}/?focus={client.pk}")
    expect(dialog).to_be_hidden()

    # when a note is typed and Esc pressed in the field
    _card(page, base, client)
    page.fill("#id_notes", "Новое")
    page.keyboard.press("Escape")
    # then the question is asked, and «Отмена» stays on the card with the typing and the cursor in the field
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Сохранить изменения?")
    screenshot(page, "client-unsaved")
    page.get_by_test_id("unsaved-cancel").click()
    expect(dialog).to_be_hidden()
    assert page.url.startswith(f"{base}/clients/{client.pk}/")
    expect(page.locator("#id_notes")).to_have_value("Новое")
    expect(page.locator("#id_notes")).to_be_focused()

    # when «Нет»: the card is left and nothing saved
    page.keyboard.press("Escape")
    page.get_by_test_id("unsaved-no").click()
    page.wait_for_url(f"{base}/?focus={client.pk}")
    assert _notes(client) == "Старое"
    _card(page, base, client)
    expect(page.locator("#id_notes")).to_have_value("Старое")

    # when typing and then a menu item: the question again; «Да» saves and goes on to the item's page
    page.fill("#id_notes", "Сохранённое")
    page.locator("[data-menu=directories] > .dropdown-toggle").click()
    item = page.locator("[data-menu=directories] a.dropdown-item[href^='/']").first
    target = item.get_attribute("href")
    item.click()
    expect(dialog).to_be_visible()
    page.get_by_test_id("unsaved-yes").click()
    page.wait_for_url(re.compile(re.escape(base + target.split("#")[0]) + r"(#.*)?$"))
    assert _notes(client) == "Сохранённое"
    _card(page, base, client)
    expect(page.locator("#id_notes")).to_have_value("Сохранённое")

    # when typing and closing the browser's tab: the browser's own question (the page may ask nothing else there)
    page.click("#id_notes")  # a real click: Chromium asks beforeunload only of a page the user has acted on
    page.keyboard.type(" — закрываю")
    asked = []
    page.on("dialog", lambda question: (asked.append(question.type), question.accept()))
    page.close(run_before_unload=True)
    page.wait_for_event("close")  # the tab waits for the answer (given while this waits), then closes
    assert asked == ["beforeunload"]


@pytest.mark.feature("CLI-02")
def test_yes_with_an_invalid_value_stays_on_the_card_with_the_error(page, live_server, manager_user,
                                                                     transactional_db):
    base = live_server.url
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»")
    sign_in(page, base, "manager")
    _card(page, base, client)
    # when the required short name is emptied and the card closed with Esc, answering «Да»
    page.fill("#id_short_name", "")
    page.locator("body").press("Escape")
    page.get_by_test_id("unsaved-yes").click()
    # then the card comes back with the error, nothing saved, and leaving it still asks
    expect(page.locator("#id_short_name.is-invalid")).to_be_visible()
    assert Client.objects.get(pk=client.pk).short_name == "Ромашка"
    page.get_by_test_id("client-card").get_by_role("link", name="Отмена").click()
    expect(page.get_by_test_id("unsaved-dialog")).to_be_visible()
    page.get_by_test_id("unsaved-no").click()
    page.wait_for_url(f"{base}/?focus={client.pk}")
    assert Client.objects.get(pk=client.pk).short_name == "Ромашка"
