"""The client card with every tab, the Flexi-filter and the files tab run under the Content-Security-Policy without
one violation (the detector's positive control: tests/core/browser/test_csp.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.clients.models import Client
from kontora.core.services.settings import system_settings_update
from tests.clients.factories import client_named
from tests.support.browser import csp_violations, sign_in, watch_csp


@pytest.mark.feature("CLI-01")
def test_the_client_card_with_every_tab_raises_no_violation(page, live_server, admin_user, transactional_db):
    base = live_server.url
    # given a company and a person, with every tab the card may plug in switched on
    system_settings_update(acting_user=admin_user, security_tab_enabled=True, shipping_tab_enabled=True)
    company = client_named("ООО «Ромашка»", curator=admin_user)
    person = client_named("Иванов Иван", curator=admin_user, kind=Client.Kind.PERSON)
    sign_in(watch_csp(page), base, "admin")
    for client in (company, person):
        page.goto(f"{base}/clients/{client.pk}/")
        tabs = page.locator(".k-client-card [data-bs-toggle=tab]")
        assert tabs.count() >= 8
        # when every tab is opened in turn
        for index in range(tabs.count()):
            tabs.nth(index).click()
            page.wait_for_load_state("networkidle")
        # and a small form is opened in the card's modal (the Bank tab's account, with its BIK look-up)
        page.get_by_test_id("tab-bank").click()
        page.get_by_test_id("bank-add").click()
        expect(page.locator("#k-modal.show")).to_be_visible()
        page.keyboard.press("Escape")
        # then
        assert csp_violations(page) == [], f"the card of {client}"


@pytest.mark.feature("REG-04", "REG-05", "REG-06")
def test_the_flexi_filter_raises_no_violation(page, live_server, manager_user, transactional_db):
    # given
    client_named("ООО «Альфа»", curator=manager_user)
    client_named("ООО «Бета»", curator=manager_user)
    sign_in(watch_csp(page), live_server.url, "manager")
    # when the panel is opened and a group with a directory picker is added and applied empty
    page.get_by_test_id("registry-filter").click()
    page.get_by_test_id("flexi-panel").wait_for()
    page.get_by_test_id("flexi-tab-classifiers").click()
    page.get_by_test_id("flexi-add-group").first.click()
    page.get_by_test_id("flexi-picker").first.click()
    page.get_by_test_id("flexi-picker").first.press("ArrowDown")
    page.get_by_test_id("flexi-apply").click()
    # then the refusal stands next to its row and the panel stays open
    expect(page.locator("#k-flexi-tree [data-flexi-error]:not(:empty)").first).to_be_visible()
    # when the conditions are cleared, a name condition counted and applied
    page.get_by_test_id("flexi-reset").click()
    page.get_by_test_id("flexi-tab-main").click()
    page.get_by_test_id("flexi-add-name").click()
    page.get_by_test_id("flexi-input").fill("Аль")
    expect(page.get_by_test_id("flexi-count")).to_have_text("Найдено: 1")
    page.get_by_test_id("flexi-apply").click()
    page.get_by_test_id("flexi-badge").wait_for()
    expect(page.get_by_test_id("registry-name")).to_have_text(["ООО «Альфа»"])
    # and the templates list is opened, and the filter reset
    page.get_by_test_id("registry-templates").click()
    expect(page.get_by_test_id("flexi-template-count").first).not_to_have_text("…")
    page.keyboard.press("Escape")
    page.get_by_test_id("flexi-clear").click()
    page.get_by_test_id("flexi-badge").wait_for(state="detached")
    # then
    assert csp_violations(page) == [], "the Flexi-filter"


@pytest.mark.feature("FIL-01", "FIL-02")
@pytest.mark.usefixtures("files_home")
def test_the_files_tab_raises_no_violation(page, live_server, manager_user, transactional_db):
    base = live_server.url
    client = client_named("ООО «Ромашка»", curator=manager_user)
    sign_in(watch_csp(page), base, "manager")
    page.goto(f"{base}/clients/{client.pk}/")
    page.click("[data-testid=tab-files]")
    page.get_by_test_id("files-panel").wait_for()
    # when a folder is made with Enter and a folder inside it, entered with double clicks, and a file uploaded
    for name in ("Договоры", "2026"):
        page.fill("[data-testid=files-folder-name]", name)
        page.press("[data-testid=files-folder-name]", "Enter")
        page.locator("[data-testid=files-folder-row]", has_text=name).dblclick()
        page.wait_for_selector(f"[data-testid=files-path]:has-text('{name}')")
    page.set_input_files("[data-testid=files-input]", files=[
        {"name": "счёт.txt", "mimeType": "text/plain", "buffer": "Счёт\n".encode()}])
    page.click("[data-testid=files-upload]")
    row = page.locator("[data-testid=files-file-row]", has_text="счёт.txt")
    # and its properties shown, and it is renamed with F2 and Enter
    row.locator("td").nth(1).click()
    page.get_by_test_id("files-properties").wait_for()
    page.keyboard.press("F2")
    # htmx wires a swapped-in field (its Enter trigger) when the swap settles, and then focuses it (autofocus):
    # type once it has the focus, as a person does, or an Enter pressed in between is lost on a busy machine
    expect(page.get_by_test_id("files-rename-input")).to_be_focused()
    page.get_by_test_id("files-rename-input").fill("Счёт 1.txt")
    page.get_by_test_id("files-rename-input").press("Enter")
    page.locator("[data-testid=files-file-row]", has_text="Счёт 1.txt").wait_for()
    # then the nested tree shows, and nothing was refused
    expect(page.get_by_test_id("files-tree-folder")).to_have_count(2)
    assert csp_violations(page) == [], "the files tab"
