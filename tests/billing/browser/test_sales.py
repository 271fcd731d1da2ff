"""The card's «Продажи» in a real browser: Ins opens «Продажа», OK records it in the journal (SAL-01)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kontora.billing.models import Sale
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory
from tests.support.browser import csp_violations, htmx_ready, sign_in, watch_csp


@pytest.mark.feature("SAL-01", "CLI-14")
def test_ins_in_the_sales_journal_records_a_sale(page, live_server, manager_user, transactional_db):
    base = live_server.url
    # given the manager's client and goods in the nomenclature
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    NomenclatureItemFactory(name="Бумага А4")
    watch_csp(page)
    sign_in(page, base, "manager")

    # when he opens the card's «Продажи» and presses Ins
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-sales").click()
    expect(page.get_by_test_id("card-sales-empty")).to_be_visible()
    htmx_ready(page.get_by_test_id("sale-add"))
    page.keyboard.press("Insert")

    # then «Продажа» opens; he picks the goods, the quantity and the amount and presses OK
    modal = page.locator("#k-modal")
    modal.locator("#id_sale_item").select_option(label="Бумага А4")
    modal.locator("#id_sale_quantity").fill("3")
    modal.locator("#id_sale_amount").fill("750.50")
    page.get_by_test_id("sale-ok").click()

    # then the modal closes and the sale is the journal's row, with the totals
    expect(modal).to_be_hidden()
    row = page.get_by_test_id("card-sale")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Бумага А4")
    expect(page.get_by_test_id("card-sales-amount")).to_contain_text("750,50")
    assert Sale.objects.get().author_id == manager_user.pk
    assert csp_violations(page) == []
