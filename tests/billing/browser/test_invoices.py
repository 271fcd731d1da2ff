"""Invoices in a real browser (INV-01 … INV-03, CLI-14): from a card's «Счета», a new invoice with two lines (one
typed, one picked from the nomenclature), its amounts recounted as typed, issued, printed with its payment QR code,
paid in part and then in full from its page, and seen with its status in the card's journal and in «Журнал
счетов»."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from kontora.billing.models import Invoice
from kontora.directories.models import VatRate
from tests.billing.factories import payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.directories.factories import NomenclatureItemFactory
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp


@pytest.mark.feature("INV-01", "INV-02", "INV-03", "INV-04", "INV-06", "CLI-14")
def test_an_invoice_with_two_lines_is_made_from_the_card_issued_and_listed(page, live_server, manager_user,
                                                                          transactional_db):
    base = live_server.url
    # given our legal entity, the manager's client and a cartridge in the nomenclature
    shipped_vat_rates()
    payee()
    client = ClientFactory(curator=manager_user, short_name="Ромашка")
    NomenclatureItemFactory(name="Картридж HP 85A", sale_price=Decimal("2500.00"),
                            vat_rate=VatRate.objects.filter(rate=22).first())
    watch_csp(page)
    sign_in(page, base, "manager")

    # when he opens the card's «Счета» and adds an invoice
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-invoices").click()
    expect(page.get_by_test_id("invoices-empty")).to_be_visible()
    expect(page.get_by_test_id("card-journal-invoices")).to_be_visible()
    page.get_by_test_id("invoice-add").click()

    # then the form opens with the client fixed and the payee pre-filled; he types a line and sees its amounts
    form = page.get_by_test_id("invoice-form")
    expect(form).to_contain_text("Ромашка")
    form.locator("[name=line-0-name]").fill("Консультация")
    form.locator("[name=line-0-quantity]").fill("2")
    form.locator("[name=line-0-price]").fill("1000")
    expect(page.get_by_test_id("invoice-gross")).to_have_text("2\xa0000,00")
    expect(page.locator("#line-0-vat")).to_have_text("360,66")

    # and a second line picked from the nomenclature by its name
    add = page.get_by_test_id("line-add")
    htmx_ready(add)
    add.click()
    expect(page.get_by_test_id("invoice-line")).to_have_count(2)
    name = form.locator("[name=line-1-name]")
    htmx_ready(name)
    name.press_sequentially("картр")
    page.get_by_test_id("item-pick").first.click()
    expect(form.locator("[name=line-1-price]")).to_have_value("2500.00")
    expect(page.get_by_test_id("invoice-gross")).to_have_text("4\xa0500,00")
    screenshot(page, "invoice-form")
    page.get_by_test_id("invoice-ok").click()

    # then the invoice's page shows it as a draft; «Выставить» issues it
    expect(page.get_by_test_id("invoice-status")).to_have_text("черновик")
    invoice = Invoice.objects.get()
    expect(page.get_by_test_id("invoice-title")).to_contain_text(f"Счёт № АМ-{invoice.number} от ")
    page.get_by_test_id("invoice-issue").click()
    expect(page.get_by_test_id("invoice-status")).to_have_text("выставлен")
    screenshot(page, "invoice-page")

    # he prints it: «Счёт на оплату» with the payment QR code
    expect(page.get_by_test_id("invoice-print")).to_have_attribute("href", f"/invoices/{invoice.pk}/print/?format=html")
    page.goto(f"{base}/invoices/{invoice.pk}/print/?format=html")
    expect(page.get_by_test_id("print-title")).to_contain_text(f"Счёт на оплату № АМ-{invoice.number}")
    expect(page.get_by_test_id("print-qr")).to_be_visible()

    # records a partial payment from the invoice's page, then the rest: the status follows
    for paid, status in (("1500", "оплачен частично"), (None, "оплачен")):
        page.goto(f"{base}/invoices/{invoice.pk}/")
        pay = page.get_by_test_id("invoice-pay")
        htmx_ready(pay)
        pay.click()
        amount = page.locator("#k-modal #id_payment_amount")
        expect(amount).to_have_value("4500.00" if paid else "3000.00")  # the due, pre-filled
        if paid:
            amount.fill(paid)
        page.get_by_test_id("payment-ok").click()
        expect(page.get_by_test_id("invoice-status")).to_have_text(status)

    # and it is listed with its status in the card's «Счета» and in «Журнал счетов»
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_test_id("tab-invoices").click()
    row = page.get_by_test_id("invoice-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(f"АМ-{invoice.number}")
    expect(row.get_by_test_id("invoice-status")).to_have_text("оплачен")
    page.goto(f"{base}/invoices/")
    row = page.get_by_test_id("invoice-row")
    expect(row).to_contain_text("Ромашка")
    expect(row).to_contain_text("4\xa0500,00")
    expect(row.get_by_test_id("invoice-status")).to_have_text("оплачен")
    screenshot(page, "invoice-journal")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID and invoice.lines.count() == 2 and invoice.due == 0
    assert csp_violations(page) == []
