"""Payments in a real browser (INV-04): a partial then a full payment of an issued invoice — one on the form's own
page, one through Ins in the client's payments journal — and the invoice's status follows."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kontora.billing.models import Invoice, Payment
from tests.billing.factories import issued_invoice, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.browser import csp_violations, htmx_ready, screenshot, sign_in, watch_csp


@pytest.mark.feature("INV-04", "CLI-14")
def test_a_partial_then_a_full_payment_change_the_invoices_status(page, live_server, manager_user,
                                                                 transactional_db):
    base = live_server.url
    # given the manager's client with an issued invoice of 1 000,00
    payee()
    shipped_vat_rates()
    client = ClientFactory(curator=manager_user, short_name="Ромашка", full_name="ООО «Ромашка»")
    invoice = issued_invoice(manager_user, client, "1000.00")
    watch_csp(page)
    sign_in(page, base, "manager")

    # when he opens the payment form for the invoice: its due and the client's name are filled in
    page.goto(f"{base}/clients/{client.pk}/payments/new/?invoice={invoice.pk}")
    expect(page.locator("#id_payment_amount")).to_have_value("1000.00")
    expect(page.locator("#id_payment_payer")).to_have_value("ООО «Ромашка»")
    # he pays 400 of it
    page.locator("#id_payment_amount").fill("400")
    page.locator("#id_payment_bank_document").fill("118")
    page.get_by_test_id("payment-ok").click()

    # then the payment's page says the invoice is partly paid, 600 due
    expect(page.get_by_test_id("invoice-status")).to_have_text("оплачен частично")
    expect(page.get_by_test_id("invoice-due")).to_have_text("600,00")
    screenshot(page, "payment")

    # when he records the rest from the client's payments journal: Ins, the invoice, 600, OK
    page.goto(f"{base}/payments/?client={client.pk}")
    htmx_ready(page.get_by_test_id("payment-add"))
    page.keyboard.press("Insert")
    modal = page.locator("#k-modal")
    modal.locator("#id_payment_invoice").select_option(value=str(invoice.pk))
    modal.locator("#id_payment_amount").fill("600")
    modal.locator("#id_payment_kind_0").check()
    screenshot(page, "payment-form")
    page.get_by_test_id("payment-ok").click()

    # then the invoice is paid and the journal lists both payments
    expect(page.get_by_test_id("invoice-status")).to_have_text("оплачен")
    expect(page.get_by_test_id("invoice-due")).to_have_text("0,00")
    page.goto(f"{base}/payments/?client={client.pk}")
    expect(page.get_by_test_id("payment-row")).to_have_count(2)
    expect(page.get_by_test_id("payments-sum")).to_have_text(re.compile(r"1\s000,00"))
    screenshot(page, "payments-journal")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert sorted(Payment.objects.values_list("amount", flat=True)) == [400, 600]
    assert csp_violations(page) == []


@pytest.mark.feature("INV-04")
def test_ins_in_the_journal_records_an_advance_applied_later_to_an_invoice(page, live_server, manager_user,
                                                                          transactional_db):
    base = live_server.url
    # given the manager's client with an issued invoice of 200,00
    payee()
    shipped_vat_rates()
    client = ClientFactory(curator=manager_user, short_name="ООО Ромашка")
    invoice = issued_invoice(manager_user, client, "200.00")
    watch_csp(page)
    sign_in(page, base, "manager")

    # when he presses Ins in the payments journal and picks the client by typing its name
    page.goto(f"{base}/payments/")
    expect(page.get_by_test_id("payments-empty")).to_be_visible()
    htmx_ready(page.get_by_test_id("payment-add"))
    page.keyboard.press("Insert")
    modal = page.locator("#k-modal")
    typed = modal.locator("[data-picker=clients] [data-picker-text]")
    expect(typed).to_be_focused()  # the modal is shown and has put the cursor in the box
    typed.fill("ООО Ром")
    modal.locator("[data-picker=clients] [data-pick]", has_text="ООО Ромашка").click()
    page.get_by_test_id("payment-client-next").click()

    # then the client's payment form opens in its place; 300 without an invoice is his advance
    expect(modal.locator("#id_payment_invoice")).to_be_visible()
    modal.locator("#id_payment_amount").fill("300")
    page.get_by_test_id("payment-ok").click()
    expect(page.get_by_test_id("payment-unapplied")).to_have_text("300,00")

    # when he applies the client's advances automatically
    page.get_by_test_id("apply-auto").click()

    # then the invoice is paid from the advance and 100 is left
    expect(page.get_by_test_id("invoice-status")).to_have_text("оплачен")
    expect(page.get_by_test_id("payment-unapplied")).to_have_text("100,00")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.PAID
    assert csp_violations(page) == []
