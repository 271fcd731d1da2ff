"""Invoices (INV-01 … INV-03): numbers, VAT by the payee's regime and date, totals, past dates, edits, access."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from kontora.accounts.models import UserRight
from kontora.accounts.policies import forget
from kontora.billing.models import Invoice
from kontora.billing.selectors.invoices import invoice_defaults
from kontora.billing.services.invoices import (
    InvoiceData,
    LineData,
    invoice_cancel,
    invoice_copy,
    invoice_create,
    invoice_issue,
    invoice_update,
)
from kontora.billing.services.payments import payment_record
from kontora.clients.models import ContactPerson
from kontora.core.errors import NotAllowed, Refused
from kontora.core.models import AuditEvent
from kontora.core.services.organisation import tax_regime_add
from tests.billing.factories import issued_invoice, line, payee, shipped_vat_rates
from tests.clients.factories import ClientFactory
from tests.support.threads import at_once

pytestmark = pytest.mark.django_db

NEW_YEARS_EVE = datetime.date(2025, 12, 31)
NEW_YEAR = datetime.date(2026, 1, 1)


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.feature("INV-01")
def test_an_invoice_is_prefilled_with_the_default_payee_and_numbered_with_the_authors_prefix(
    manager_user: Any, our_entity: Any,
) -> None:
    # given the manager's client with a contact person
    client = ClientFactory(curator=manager_user)
    contact = ContactPerson.objects.create(client=client, full_name="Пётр Петров")
    # when he makes two invoices without naming the payee
    first = invoice_create(acting_user=manager_user, data=InvoiceData(
        client=client, date=_today(), lines=[line("100.00")], attention=contact))
    second = invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                       lines=[line("50.00")]))
    # then both are our default entity's, on its default account, numbered 1 and 2 with his prefix
    defaults = invoice_defaults(fetched_by=manager_user)
    assert (first.legal_entity, first.bank_account) == (defaults.legal_entity, defaults.bank_account)
    assert first.legal_entity == our_entity and first.bank_account is not None
    assert (first.number, second.number) == (1, 2)
    assert first.shown_number == "АМ-1" and first.attention == contact
    assert first.status == Invoice.Status.DRAFT
    assert AuditEvent.objects.filter(event="billing.invoice.create", client_id=client.pk).count() == 2


@pytest.mark.feature("INV-01")
def test_numbers_run_per_payee_and_year(admin_user: Any, our_entity: Any) -> None:
    # given a second legal entity of ours
    other = payee("ИП Иванов", default=False)
    client = ClientFactory()
    # when invoices are made for both entities and across two years
    ours = [invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEAR, lines=[line("1")]))
            for _ in range(3)]
    theirs = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEAR,
                                                                     lines=[line("1")], legal_entity=other))
    last_year = invoice_create(acting_user=admin_user, data=InvoiceData(
        client=client, date=NEW_YEARS_EVE, lines=[line("1", vat_rate="20")]))
    # then each entity and year counts from 1 without a gap
    assert [invoice.number for invoice in ours] == [1, 2, 3]
    assert theirs.number == 1 and last_year.number == 1


@pytest.mark.feature("INV-01")
def test_a_rolled_back_invoice_leaves_no_gap(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    data = InvoiceData(client=client, date=_today(), lines=[line("10.00")])
    # given an invoice whose transaction is rolled back after it was saved
    with pytest.raises(RuntimeError), transaction.atomic():
        invoice_create(acting_user=manager_user, data=data)
        raise RuntimeError("rolled back")
    # and one refused before it was saved (a bad line)
    with pytest.raises(Refused):
        invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                  lines=[line("10.00", quantity="0")]))
    # when the next one is saved
    invoice = invoice_create(acting_user=manager_user, data=data)
    # then it takes number 1: nothing was lost
    assert invoice.number == 1
    assert Invoice.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.feature("INV-01")
def test_eight_invoices_saved_at_once_take_eight_numbers_without_a_gap(manager_user: Any) -> None:
    # given our entity and the manager's client (committed: each thread has its own connection)
    payee()
    shipped_vat_rates()
    client = ClientFactory(curator=manager_user)
    # when eight invoices are saved at the same moment
    results, errors = at_once(8, lambda: invoice_create(acting_user=manager_user, data=InvoiceData(
        client=client, date=_today(), lines=[line("1.00")])))
    # then they take numbers 1 … 8, none twice, none skipped
    assert errors == []
    assert sorted(invoice.number for invoice in results) == list(range(1, 9))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(range(1, 9))


@pytest.mark.feature("INV-03")
def test_the_vat_rate_follows_the_date_20_before_2026_and_22_from_it(admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory()
    # given invoices on either side of 2026-01-01 with the rate in force
    old = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEARS_EVE,
                                                                  lines=[line("120.00", vat_rate="20")]))
    new = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEAR,
                                                                  lines=[line("122.00", vat_rate="22")]))
    # then VAT is counted out of the price at each rate
    assert (old.net, old.vat, old.gross) == (Decimal("100.00"), Decimal("20.00"), Decimal("120.00"))
    assert (new.net, new.vat, new.gross) == (Decimal("100.00"), Decimal("22.00"), Decimal("122.00"))
    # and the rate of the other year is refused next to the VAT rate, nothing saved
    with pytest.raises(Refused) as refused:
        invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEAR,
                                                                lines=[line("1.00", vat_rate="20")]))
    assert refused.value.field == "vat_rate"
    assert refused.value.message == "Строка 1: ставка НДС 20 % не применяется у ООО «Контора» на 01.01.2026."
    with pytest.raises(Refused):
        invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEARS_EVE,
                                                                lines=[line("1.00", vat_rate="22")]))
    assert Invoice.objects.count() == 2


@pytest.mark.feature("INV-03")
def test_a_simplified_regime_payee_offers_5_7_or_no_vat_only(admin_user: Any, our_entity: Any) -> None:
    # given our entity on the simplified regime with VAT from 2026, without VAT before
    tax_regime_add(acting_user=admin_user, entity_id=our_entity.pk, regime="without_vat",
                   valid_to=NEW_YEARS_EVE)
    tax_regime_add(acting_user=admin_user, entity_id=our_entity.pk, regime="simplified_vat", valid_from=NEW_YEAR,
                   reduced_rate=Decimal(5))
    client = ClientFactory()
    # when lines take 5 %, 7 % and no VAT in 2026
    invoice = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=NEW_YEAR, lines=[
        line("105.00", vat_rate="5"), line("107.00", vat_rate="7"), line("100.00", vat_rate=None)]))
    # then each is counted
    assert [(row.vat_rate, row.vat) for row in invoice.lines.order_by("position")] == [
        (Decimal(5), Decimal("5.00")), (Decimal(7), Decimal("7.00")), (None, Decimal("0.00"))]
    # and 22 % is refused in 2026, 5 % in 2025 (without VAT then)
    for date, rate in ((NEW_YEAR, "22"), (NEW_YEARS_EVE, "5"), (NEW_YEARS_EVE, "20")):
        with pytest.raises(Refused) as refused:
            invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=date,
                                                                    lines=[line("1.00", vat_rate=rate)]))
        assert refused.value.field == "vat_rate"
    assert invoice_create(acting_user=admin_user, data=InvoiceData(
        client=client, date=NEW_YEARS_EVE, lines=[line("1.00", vat_rate=None)])).vat == Decimal(0)


@pytest.mark.feature("INV-03")
def test_vat_included_and_on_top_totals_are_the_sums_of_the_rounded_lines(admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory()
    lines = [line("33.33", quantity="3"), line("10.01", quantity="1.5", discount=Decimal("10")),
             line("0.05", quantity="7")]
    # when the same lines are invoiced with VAT included and on top
    included = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=_today(), lines=lines))
    on_top = invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=_today(), lines=lines,
                                                                     vat_mode=Invoice.VatMode.ON_TOP))
    # then each total is the sum of its printed lines, and net + VAT = gross
    for invoice in (included, on_top):
        rows = list(invoice.lines.all())
        assert invoice.net == sum(row.net for row in rows)
        assert invoice.vat == sum(row.vat for row in rows)
        assert invoice.gross == sum(row.gross for row in rows) == invoice.net + invoice.vat == invoice.due
    # the included amount is the lines' amount; on top it is the net
    assert included.gross == Decimal("99.99") + Decimal("13.51") + Decimal("0.35")
    assert on_top.net == included.gross
    assert on_top.vat == Decimal("22.00") + Decimal("2.97") + Decimal("0.08")


@pytest.mark.feature("INV-02")
def test_a_past_date_is_refused_without_the_right_and_allowed_with_it(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    yesterday = _today() - datetime.timedelta(days=1)
    data = InvoiceData(client=client, date=yesterday, lines=[line("10.00")])
    # given a manager without the right to change past-dated data
    with pytest.raises(Refused) as refused:
        invoice_create(acting_user=manager_user, data=data)
    # then a back-dated invoice is refused next to the date
    assert refused.value.field == "date"
    assert refused.value.message == ("У вас нет права изменять данные прошедших дат: выберите сегодняшнюю или "
                                     "более позднюю дату.")
    assert not Invoice.objects.exists()
    # when the right is granted, the same invoice is made
    UserRight.objects.create(user=manager_user, code="change_past_data")
    forget(manager_user)
    assert invoice_create(acting_user=manager_user, data=data).date == yesterday


@pytest.mark.feature("INV-02")
def test_an_issued_invoice_is_edited_while_unpaid_and_refused_with_payments(manager_user: Any,
                                                                            our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    # when nothing is paid the lines are replaced, audited with the change
    changed = invoice_update(acting_user=manager_user, invoice_id=invoice.pk, data=InvoiceData(
        client=client, date=_today(), lines=[line("100.00"), line("22.00", name="Доставка")]))
    assert changed.gross == Decimal("122.00") and changed.lines.count() == 2
    assert changed.status == Invoice.Status.ISSUED
    row = AuditEvent.objects.get(event="billing.invoice.update")
    assert any(change["field"] == "Строки" for change in row.changes)
    # given a payment on it
    payment_record(acting_user=manager_user, client=client, invoice=changed, date=_today(), amount=Decimal("10"))
    # then a change is refused and nothing changes
    with pytest.raises(Refused) as refused:
        invoice_update(acting_user=manager_user, invoice_id=invoice.pk, data=InvoiceData(
            client=client, date=_today(), lines=[line("1.00")]))
    assert refused.value.message == "По счёту есть оплаты: чтобы изменить его, сначала отмените их."
    assert Invoice.objects.get(pk=invoice.pk).gross == Decimal("122.00")


@pytest.mark.feature("INV-02")
def test_cancelling_an_invoice_needs_the_right_and_no_live_payments(manager_user: Any, admin_user: Any,
                                                                   our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    invoice = issued_invoice(manager_user, client, "100.00")
    # a manager has no right to cancel invoices
    with pytest.raises(NotAllowed):
        invoice_cancel(acting_user=manager_user, invoice_id=invoice.pk)
    # an administrator is refused while a payment counts towards it
    payment_record(acting_user=manager_user, client=client, invoice=invoice, date=_today(), amount=Decimal("1"))
    with pytest.raises(Refused):
        invoice_cancel(acting_user=admin_user, invoice_id=invoice.pk)
    # and cancels an unpaid one
    other = issued_invoice(manager_user, client, "5.00")
    cancelled = invoice_cancel(acting_user=admin_user, invoice_id=other.pk, reason="ошибка")
    assert cancelled.status == Invoice.Status.CANCELLED and cancelled.cancelled_by == admin_user
    assert cancelled.due == 0
    with pytest.raises(Refused):
        invoice_update(acting_user=admin_user, invoice_id=other.pk, data=InvoiceData(
            client=client, date=_today(), lines=[line("1.00")]))


@pytest.mark.feature("INV-01")
def test_an_invoice_is_copied_as_a_new_draft_with_the_rate_in_force(admin_user: Any, our_entity: Any) -> None:
    client = ClientFactory()
    source = invoice_create(acting_user=admin_user, data=InvoiceData(
        client=client, date=NEW_YEARS_EVE, lines=[line("120.00", vat_rate="20"), line("5.00", vat_rate=None)]))
    invoice_issue(acting_user=admin_user, invoice_id=source.pk)
    # when it is copied into 2026
    copy = invoice_copy(acting_user=admin_user, invoice_id=source.pk, date=NEW_YEAR)
    # then the copy is a new numbered draft; 20 % became the 22 % in force, «без НДС» stayed
    assert copy.pk != source.pk and copy.status == Invoice.Status.DRAFT and copy.number == 1
    assert [row.vat_rate for row in copy.lines.order_by("position")] == [Decimal(22), None]
    assert copy.gross == Decimal("125.00")


@pytest.mark.feature("INV-01")
def test_a_manager_cannot_invoice_another_managers_client(manager_user: Any, our_entity: Any) -> None:
    # given a client curated by another manager
    from tests.accounts.factories import UserFactory

    other = UserFactory(login="other", role="manager")
    client = ClientFactory(curator=other)
    # then our manager may not invoice it
    with pytest.raises(NotAllowed) as refused:
        invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                  lines=[line("1.00")]))
    assert refused.value.field == "client"
    # and its invoices are not his to change
    invoice = issued_invoice(other, client, "1.00")
    with pytest.raises(NotAllowed):
        invoice_update(acting_user=manager_user, invoice_id=invoice.pk, data=InvoiceData(
            client=client, date=_today(), lines=[line("2.00")]))
    with pytest.raises(NotAllowed):
        payment_record(acting_user=manager_user, client=client, invoice=invoice, date=_today(),
                       amount=Decimal("1"))


@pytest.mark.feature("INV-03")
def test_bad_lines_are_refused_with_their_number_and_nothing_is_saved(manager_user: Any, our_entity: Any) -> None:
    client = ClientFactory(curator=manager_user)
    cases = [
        (line("10.00", quantity="0"), "quantity", "Строка 2: Количество должно быть больше нуля."),
        (line("10.00", quantity="-1"), "quantity", "Строка 2: Количество должно быть больше нуля."),
        (LineData(name="Без цены", quantity=Decimal(1), price=None, vat_rate=Decimal(22)), "price",
         "Строка 2: В строке не указана цена."),
    ]
    for bad, field, message in cases:
        with pytest.raises(Refused) as refused:
            invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(),
                                                                      lines=[line("1.00"), bad]))
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(Refused) as refused:
        invoice_create(acting_user=manager_user, data=InvoiceData(client=client, date=_today(), lines=[]))
    assert refused.value.field == "lines"
    assert not Invoice.objects.exists()


@pytest.mark.feature("INV-03")
def test_sql_totals_over_many_lines_equal_the_exact_totals(admin_user: Any, our_entity: Any) -> None:
    import random

    from kontora.billing.models import InvoiceLine
    from kontora.core.money import money_sum

    # given invoices of many lines with odd prices, quantities, discounts and both VAT modes
    pick = random.Random(20261206)
    client = ClientFactory()
    invoices = []
    for mode in (Invoice.VatMode.INCLUDED, Invoice.VatMode.ON_TOP):
        lines = [line(f"{pick.randint(1, 10**7) / 100:.2f}", quantity=f"{pick.randint(1, 99999) / 1000:.3f}",
                      discount=Decimal(pick.choice([0, 0, 5, 12.5, 33])),
                      vat_rate=pick.choice(["22", "10", "0", None])) for _ in range(150)]
        invoices.append(invoice_create(acting_user=admin_user, data=InvoiceData(client=client, date=_today(),
                                                                                lines=lines, vat_mode=mode)))
    # then the database's sums of the kept kopecks equal the totals kept and Python's exact sums
    for invoice in invoices:
        rows = InvoiceLine.objects.filter(invoice=invoice)
        sums = rows.aggregate(net=money_sum("net"), vat=money_sum("vat"), gross=money_sum("gross"))
        assert (sums["net"], sums["vat"], sums["gross"]) == (invoice.net, invoice.vat, invoice.gross)
        assert invoice.gross == sum((row.gross for row in rows), Decimal(0)) == invoice.net + invoice.vat
    both = Invoice.objects.aggregate(total=money_sum("gross"))["total"]
    assert both == invoices[0].gross + invoices[1].gross
